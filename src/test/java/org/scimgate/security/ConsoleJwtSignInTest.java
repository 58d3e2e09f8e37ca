package org.scimgate.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Where JWTs are configured the console's sign-in takes one too: checked by the decoder /api/**
 * uses (here a public key of a key pair made for the test), roles from the same claim, the same
 * session as an API key gives, and no longer than the token lasts.
 */
class ConsoleJwtSignInTest extends PostgresTest {

    private static final KeyPair ISSUER = keyPair();
    private static final KeyPair STRANGER = keyPair();

    @DynamicPropertySource
    static void jwtIssuer(DynamicPropertyRegistry registry) throws Exception {
        Path pem = Files.createTempFile("console-jwt", ".pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ISSUER.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> pem.toUri().toString());
    }

    @Autowired
    MockMvc mvc;

    @Test
    void signsInWithAnOperatorJwtIntoTheOperatorsSession() throws Exception {
        String token = token(ISSUER, List.of("operator"), Instant.now().plusSeconds(600));
        MockHttpSession session = (MockHttpSession) mvc.perform(post("/login").param("key", token).with(csrf()))
                .andExpect(redirectedUrl("/console"))
                .andExpect(authenticated().withUsername("jane@acme.com").withRoles("operator"))  // the person is the subject
                .andReturn().getRequest().getSession();
        mvc.perform(get("/console").session(session)).andExpect(status().isOk());
        // The same token is good for the API, where the session is not.
        mvc.perform(get("/api/v1/ruleset").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/ruleset").session(session)).andExpect(status().isUnauthorized());
    }

    @Test
    void givesAnAnalystJwtTheAnalystsRightsOnly() throws Exception {
        String token = token(ISSUER, List.of("analyst"), Instant.now().plusSeconds(600));
        MockHttpSession session = (MockHttpSession) mvc.perform(post("/login").param("key", token).with(csrf()))
                .andExpect(authenticated().withUsername("jane@acme.com").withRoles("analyst"))
                .andReturn().getRequest().getSession();
        mvc.perform(post("/console/outbox/" + UUID.randomUUID() + "/redrive").session(session).with(csrf()))
                .andExpect(status().isForbidden()).andExpect(forwardedUrl("/console/denied"));
    }

    @Test
    void refusesAJwtSignedByAnotherKey() throws Exception {
        mvc.perform(post("/login").param("key", token(STRANGER, List.of("operator"), Instant.now().plusSeconds(600)))
                .with(csrf())).andExpect(redirectedUrl("/?refused")).andExpect(unauthenticated());
    }

    @Test
    void refusesAJwtWithoutAConsoleRole() throws Exception {
        mvc.perform(post("/login").param("key", token(ISSUER, List.of("auditor"), Instant.now().plusSeconds(600)))
                .with(csrf())).andExpect(redirectedUrl("/?refused")).andExpect(unauthenticated());
    }

    @Test
    void refusesAnExpiredJwtEvenWithinTheDecodersClockSkew() throws Exception {
        mvc.perform(post("/login").param("key", token(ISSUER, List.of("operator"), Instant.now().minusSeconds(10)))
                .with(csrf())).andExpect(redirectedUrl("/?refused")).andExpect(unauthenticated());
        mvc.perform(post("/login").param("key", token(ISSUER, List.of("operator"), Instant.now().minusSeconds(3600)))
                .with(csrf())).andExpect(redirectedUrl("/?refused")).andExpect(unauthenticated());
    }

    @Test
    void refusesAJwtThatIsNotOne() throws Exception {
        mvc.perform(post("/login").param("key", "a.b.c").with(csrf()))
                .andExpect(redirectedUrl("/?refused")).andExpect(unauthenticated());
    }

    @Test
    void endsASessionOnceItsJwtHasExpired() throws Exception {
        UsernamePasswordAuthenticationToken expired = UsernamePasswordAuthenticationToken.authenticated("operator",
                null, AuthorityUtils.createAuthorityList("ROLE_operator"));
        expired.setDetails(new JwtSessionExpiry.ExpiresAt(Instant.now().minusSeconds(1)));
        mvc.perform(get("/console").with(authentication(expired))).andExpect(redirectedUrl("/?expired"));
    }

    private static String token(KeyPair key, List<String> roles, Instant expiresAt) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .subject("jane@acme.com").claim("roles", roles).issueTime(new Date())
                .expirationTime(Date.from(expiresAt)).build());
        jwt.sign(new RSASSASigner(key.getPrivate()));
        return jwt.serialize();
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
