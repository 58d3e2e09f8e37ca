package org.scimgate.security;

import static org.scimgate.security.SecurityConfiguration.ANALYST;
import static org.scimgate.security.SecurityConfiguration.OPERATOR;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * What the console's sign-in form accepts: an API key, or — where JWTs are configured — a JWT
 * checked by the same decoder and read for roles the same way as on {@code /api/**}. Either way the
 * session's principal is the person: a named key's name, the role of a single role key, or the
 * JWT's subject, so the pages need not know how someone signed in. A session
 * from a JWT carries the token's expiry ({@link JwtSessionExpiry} ends it then).
 */
final class ConsoleSignIn implements AuthenticationManager {

    private final Credentials credentials;
    private final AuthenticationManager jwts;
    private final Clock clock;

    ConsoleSignIn(Credentials credentials, AuthenticationManager jwts, Clock clock) {
        this.credentials = credentials;
        this.jwts = jwts;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication signIn) {
        String presented = String.valueOf(signIn.getCredentials()).strip();
        if (jwts != null && SecurityConfiguration.looksLikeJwt(presented)) {
            return fromJwt(jwts.authenticate(new BearerTokenAuthenticationToken(presented)));
        }
        ApiKeys.NamedKey person = SecurityConfiguration.personOf(credentials, presented);
        return UsernamePasswordAuthenticationToken.authenticated(person.name(), null,
                AuthorityUtils.createAuthorityList("ROLE_" + person.role()));
    }

    private Authentication fromJwt(Authentication checked) {
        Set<String> roles = checked.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .collect(Collectors.toSet());
        String role = roles.contains("ROLE_" + OPERATOR) ? OPERATOR : roles.contains("ROLE_" + ANALYST) ? ANALYST : null;
        if (role == null) {
            throw new BadCredentialsException("the JWT grants neither the analyst nor the operator role");
        }
        Instant expiresAt = ((Jwt) checked.getPrincipal()).getExpiresAt();
        // The decoder allows a minute of clock skew; a session is not begun on a token already past its expiry.
        if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
            throw new BadCredentialsException("the JWT has expired");
        }
        // The person is the token's subject (its role when it names none).
        String subject = ((Jwt) checked.getPrincipal()).getSubject();
        UsernamePasswordAuthenticationToken session = UsernamePasswordAuthenticationToken.authenticated(
                subject == null || subject.isBlank() ? role : subject, null,
                AuthorityUtils.createAuthorityList("ROLE_" + role));
        session.setDetails(new JwtSessionExpiry.ExpiresAt(expiresAt));
        return session;
    }
}
