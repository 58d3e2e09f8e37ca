package org.scimgate.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A console session begun with a JWT lasts no longer than the token: once it has expired the
 * session is ended and the browser sent back to the sign-in form, as an API call with that token
 * would be refused.
 */
final class JwtSessionExpiry extends OncePerRequestFilter {

    /** The sign-in token's details: when the JWT it came from expires (null: never). */
    record ExpiresAt(Instant at) implements Serializable {
    }

    private final Clock clock;

    JwtSessionExpiry(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getDetails() instanceof ExpiresAt expiry && expiry.at() != null
                && !clock.instant().isBefore(expiry.at())) {
            SecurityContextHolder.clearContext();
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            response.sendRedirect(request.getContextPath() + "/?expired");
            return;
        }
        chain.doFilter(request, response);
    }
}
