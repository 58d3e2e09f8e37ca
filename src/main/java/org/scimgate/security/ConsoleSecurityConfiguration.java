package org.scimgate.security;

import static org.scimgate.security.SecurityConfiguration.ANALYST;
import static org.scimgate.security.SecurityConfiguration.OPERATOR;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The analyst console: a browser signs in once with the same API key the API takes (or, where JWTs
 * are configured, a JWT, see {@link ConsoleSignIn}) and then
 * carries a session cookie (HttpOnly, SameSite=Strict, an idle timeout: {@code server.servlet.session.*}).
 * Because a cookie is sent without the user's doing, every form that changes something carries a
 * CSRF token, and the pages allow nothing but their own scripts and styles.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ConsoleSecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    @Bean
    @Order(0)
    SecurityFilterChain consoleChain(HttpSecurity http, Credentials credentials, SecuritySettings settings,
                                     ObjectProvider<JwtDecoder> jwtDecoder) throws Exception {
        JwtDecoder jwt = jwtDecoder.getIfAvailable();
        AuthenticationManager signIn = new ConsoleSignIn(credentials,
                jwt == null ? null : SecurityConfiguration.jwtAuthentication(jwt, settings), Clock.systemUTC());
        AccessDeniedHandlerImpl refused = new AccessDeniedHandlerImpl();
        refused.setErrorPage("/console/denied");
        AccessDeniedHandler denied = (request, response, e) -> {
            if (uploadTooLarge(request)) {
                // The CSRF token is inside the body that was too large to read: say that, not "refused".
                request.getRequestDispatcher("/console/impact/too-large").forward(request, response);
            } else {
                refused.handle(request, response, e);
            }
        };
        return http.securityMatcher("/", "/console/**", "/login", "/logout", "/webjars/**")
                .authenticationManager(signIn)
                .addFilterAfter(new JwtSessionExpiry(Clock.systemUTC()), SecurityContextHolderFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/", "/login", "/console/assets/**", "/webjars/chart.js/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/console/outbox/**", "/console/remediation/**").hasRole(OPERATOR)
                        .requestMatchers("/console/**").hasRole(ANALYST)
                        .anyRequest().denyAll())
                // The key is both "username" and "password": the role is all that identifies a caller.
                .formLogin(form -> form.loginPage("/").loginProcessingUrl("/login")
                        .usernameParameter("key").passwordParameter("key")
                        .defaultSuccessUrl("/console", true).failureUrl("/?refused"))
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/?signed-out")
                        .deleteCookies("JSESSIONID"))
                .exceptionHandling(e -> e.accessDeniedHandler(denied))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }

    /** A multipart body the server stopped reading at its size limits (spring.servlet.multipart). */
    private static boolean uploadTooLarge(HttpServletRequest request) {
        String type = request.getContentType();
        if (!"POST".equals(request.getMethod()) || type == null || !type.toLowerCase().startsWith("multipart/")) {
            return false;
        }
        try {
            request.getParts();
            return false;
        } catch (IllegalStateException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t.getMessage() != null && t.getMessage().toLowerCase().contains("exceed")) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException | jakarta.servlet.ServletException e) {
            return false;
        }
    }
}
