package org.scimgate.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.scimgate.edge.Refusals;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

/**
 * Every endpoint but health needs credentials. {@code /api/**} and Actuator take a bearer API key
 * (or, when an issuer is configured, a JWT); the operator role includes the analyst's. The webhook
 * and the SCIM gateway check their own callers in their controllers, so that a refused call is
 * still audited.
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
class SecurityConfiguration {

    static final String ANALYST = "analyst";
    static final String OPERATOR = "operator";

    /**
     * Path patterns for every {@code requestMatchers(String)}: the MVC matchers Spring Security
     * uses otherwise ask each handler mapping per request, and the actuator's mapping answers by
     * throwing an exception — two per request, on every health probe.
     */
    @Bean
    static PathPatternRequestMatcherBuilderFactoryBean requestMatcherBuilder() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix().role(OPERATOR).implies(ANALYST).build();
    }

    /**
     * The SCIM gateway authenticates its callers itself (its token is not an API key, and a refused
     * call must still be audited), so no bearer-token filter may see it. The webhook is answered by
     * its own filter before this chain (ADR 0001) and never reaches it.
     */
    @Bean
    @org.springframework.core.annotation.Order(1)
    SecurityFilterChain callerAuthenticatedChain(HttpSecurity http) throws Exception {
        return http.securityMatcher("/scim/v2/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .build();
    }

    @Bean
    @org.springframework.core.annotation.Order(2)
    SecurityFilterChain securityFilterChain(HttpSecurity http, Credentials credentials, SecuritySettings settings,
                                            ObjectProvider<JwtDecoder> jwtDecoder, ObjectMapper json,
                                            Refusals refusals) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").hasRole(ANALYST)
                        .requestMatchers(HttpMethod.GET, "/api/v1/decisions/**", "/api/v1/ruleset", "/api/v1/policy/shadow",
                                "/api/v1/remediations",
                                "/api/v1/rulesets", "/api/v1/rulesets/**", "/api/v1/policy/proposals",
                                "/api/v1/policy/proposals/**")
                        .hasRole(ANALYST)
                        .requestMatchers(HttpMethod.POST, "/api/v1/policy/evaluate", "/api/v1/policy/impact",
                                "/api/v1/policy/proposals", "/api/v1/policy/proposals/*/approve",
                                "/api/v1/policy/proposals/*/reject", "/api/v1/policy/proposals/*/withdraw")
                        .hasRole(ANALYST)
                        .requestMatchers("/api/**", "/actuator/**").hasRole(OPERATOR)
                        .anyRequest().denyAll())
                .oauth2ResourceServer(oauth -> oauth
                        .authenticationManagerResolver(resolver(credentials, settings, jwtDecoder.getIfAvailable()))
                        .authenticationEntryPoint((request, response, e) -> refused(request, response, json, refusals))
                        .accessDeniedHandler((request, response, e) -> problem(response, json, HttpStatus.FORBIDDEN,
                                "this key's role may not do this; re-drive, reload and metrics need the operator role")));
        return http.build();
    }

    private static AuthenticationManagerResolver<HttpServletRequest> resolver(Credentials credentials,
                                                                              SecuritySettings settings, JwtDecoder jwt) {
        AuthenticationManager apiKeys = authentication -> authenticated(
                personOf(credentials, ((BearerTokenAuthenticationToken) authentication).getToken()));
        if (jwt == null) {
            return request -> apiKeys;
        }
        AuthenticationManager jwts = jwtAuthentication(jwt, settings);
        return request -> looksLikeJwt(request.getHeader("Authorization")) ? jwts : apiKeys;
    }

    /** JWTs checked by the configured decoder, their roles read from {@code jwt-roles-claim}: the API and the console's sign-in both use it. */
    static AuthenticationManager jwtAuthentication(JwtDecoder jwt, SecuritySettings settings) {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(settings.jwtRolesClaim());
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(jwt);
        provider.setJwtAuthenticationConverter(converter);
        return new ProviderManager(List.of(provider));
    }

    /** A JWT has three dot-separated parts; an API key has none. */
    static boolean looksLikeJwt(String credential) {
        return credential != null && credential.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The person an API key acts as: a named key of {@code SCIMGATE_API_KEYS_FILE}, or the single
     * operator or analyst key, named after its role. The API and the console's sign-in both ask here.
     */
    static ApiKeys.NamedKey personOf(Credentials credentials, String key) {
        if (Credentials.matches(key, credentials.operatorKey())) {
            return new ApiKeys.NamedKey(OPERATOR, OPERATOR, key);
        }
        if (Credentials.matches(key, credentials.analystKey())) {
            return new ApiKeys.NamedKey(ANALYST, ANALYST, key);
        }
        ApiKeys.NamedKey named = credentials.apiKeys().find(key);
        if (named == null) {
            throw new BadCredentialsException("unknown API key");
        }
        return named;
    }

    /** The caller's principal is their name: every record they cause names them. */
    private static PreAuthenticatedAuthenticationToken authenticated(ApiKeys.NamedKey person) {
        return new PreAuthenticatedAuthenticationToken(person.name(), null,
                AuthorityUtils.createAuthorityList("ROLE_" + person.role()));
    }

    /**
     * A caller without a valid key: counted with its address's other refusals of the minute (one
     * audit row records them), answered 401, or 429 once the address is over its budget.
     */
    private static void refused(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
                                ObjectMapper json, Refusals refusals) throws java.io.IOException {
        Refusals.Refusal refusal = refusals.refused(request, "api",
                request.getHeader("Authorization") == null ? "missing credentials" : "invalid credentials", null);
        if (refusal.throttled()) {
            response.setHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
            problem(response, json, HttpStatus.TOO_MANY_REQUESTS, "too many requests without valid credentials from "
                    + "this address; retry after " + refusal.retryAfterSeconds() + " s");
            return;
        }
        problem(response, json, HttpStatus.UNAUTHORIZED,
                "send 'Authorization: Bearer <API key>' (SCIMGATE_ANALYST_KEY, SCIMGATE_OPERATOR_KEY or a key of SCIMGATE_API_KEYS_FILE)");
    }

    private static void problem(jakarta.servlet.http.HttpServletResponse response, ObjectMapper json, HttpStatus status,
                                String detail) throws java.io.IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getWriter().write(json.writeValueAsString(Map.of("type", problem.getType().toString(),
                "title", status.getReasonPhrase(), "status", status.value(), "detail", detail)));
    }
}
