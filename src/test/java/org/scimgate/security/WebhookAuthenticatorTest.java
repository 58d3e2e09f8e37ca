package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookAuthenticatorTest {

    private static final byte[] BODY = "{\"eventType\":\"user.created\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dir;

    private SecuritySettings settings(String token, String hmac) {
        return new SecuritySettings(token, hmac, Duration.ofMinutes(5), null, "operator", dir, "roles");
    }

    private WebhookAuthenticator authenticator(String token, String hmac) {
        return new WebhookAuthenticator(new Credentials(settings(token, hmac)), Duration.ofMinutes(5),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void acceptsTheTokenAsBearerOrAsBasicPassword() {
        WebhookAuthenticator auth = authenticator("s3cret-token", null);
        assertThat(auth.refusal("Bearer s3cret-token", null, BODY)).isNull();
        assertThat(auth.refusal("bearer s3cret-token", null, BODY)).isNull();
        String basic = Base64.getEncoder().encodeToString("genesys:s3cret-token".getBytes(StandardCharsets.UTF_8));
        assertThat(auth.refusal("Basic " + basic, null, BODY)).isNull();
    }

    @Test
    void refusesMissingOrWrongCredentials() {
        WebhookAuthenticator auth = authenticator("s3cret-token", null);
        assertThat(auth.refusal(null, null, BODY)).startsWith("missing credentials");
        assertThat(auth.refusal("Bearer s3cret-tokeN", null, BODY)).isEqualTo("invalid credentials");
        assertThat(auth.refusal("Bearer ", null, BODY)).isEqualTo("invalid credentials");
        assertThat(auth.refusal("Token s3cret-token", null, BODY)).isEqualTo("invalid credentials");
        assertThat(auth.refusal("Basic !!!not-base64", null, BODY)).isEqualTo("invalid credentials");
    }

    @Test
    void withAnHmacSecretRequiresAFreshSignatureOverTheBody() {
        WebhookAuthenticator auth = authenticator("unused", "hmac-secret");
        String t = Long.toString(NOW.getEpochSecond());
        String good = "t=" + t + ",v1=" + WebhookAuthenticator.hmac("hmac-secret", t, BODY);
        assertThat(auth.refusal(null, good, BODY)).isNull();
        assertThat(auth.refusal("Bearer unused", null, BODY)).startsWith("missing signature");
        assertThat(auth.refusal(null, good, "{\"eventType\":\"user.deleted\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("invalid signature");
        String old = Long.toString(NOW.minus(Duration.ofMinutes(6)).getEpochSecond());
        assertThat(auth.refusal(null, "t=" + old + ",v1=" + WebhookAuthenticator.hmac("hmac-secret", old, BODY), BODY))
                .isEqualTo("signature timestamp outside the replay window");
        assertThat(auth.refusal(null, "v1=abc", BODY)).isEqualTo("malformed signature header");
    }

    @Test
    void generatesTheTokenOnceAndKeepsItInTheCredentialsDirectory() throws Exception {
        Credentials first = new Credentials(settings(null, null));
        Path file = dir.resolve("webhook-token");
        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(first.webhookToken()).hasSizeGreaterThanOrEqualTo(40);
        Credentials second = new Credentials(settings(null, null));
        assertThat(second.webhookToken()).isEqualTo(first.webhookToken());
        assertThat(new Credentials(settings("chosen", null)).webhookToken()).isEqualTo("chosen");
    }
}
