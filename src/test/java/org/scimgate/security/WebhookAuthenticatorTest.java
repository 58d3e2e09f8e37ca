package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
    private static final String TOKEN = "s3cret-webhook-token";
    private static final String HMAC = "hmac-secret-0f3c9a7e51";
    private static final String OPERATOR = "operator-key-5e8d21b7c4";

    @TempDir
    Path dir;

    private SecuritySettings settings(String token, String hmac) {
        return new SecuritySettings(token, hmac, Duration.ofMinutes(5), null, OPERATOR, dir, "roles", null);
    }

    private WebhookAuthenticator authenticator(String token, String hmac) {
        return new WebhookAuthenticator(new Credentials(settings(token, hmac)), Duration.ofMinutes(5),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static String signature(String t, String webhookId, byte[] body) {
        return "t=" + t + ",v2=" + WebhookAuthenticator.hmac(HMAC, t, webhookId, body);
    }

    @Test
    void acceptsTheTokenAsBearerOrAsBasicPassword() {
        WebhookAuthenticator auth = authenticator(TOKEN, null);
        assertThat(auth.refusal("Bearer " + TOKEN, null, "d-1", BODY)).isNull();
        assertThat(auth.refusal("bearer " + TOKEN, null, "d-1", BODY)).isNull();
        String basic = Base64.getEncoder().encodeToString(("genesys:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(auth.refusal("Basic " + basic, null, "d-1", BODY)).isNull();
    }

    @Test
    void refusesMissingOrWrongCredentials() {
        WebhookAuthenticator auth = authenticator(TOKEN, null);
        assertThat(auth.refusal(null, null, null, BODY)).startsWith("missing credentials");
        assertThat(auth.refusal("Bearer s3cret-webhook-tokeN", null, null, BODY)).isEqualTo("invalid credentials");
        assertThat(auth.refusal("Bearer ", null, null, BODY)).isEqualTo("invalid credentials");
        assertThat(auth.refusal("Token " + TOKEN, null, null, BODY)).isEqualTo("invalid credentials");
        assertThat(auth.refusal("Basic !!!not-base64", null, null, BODY)).isEqualTo("invalid credentials");
    }

    @Test
    void withAnHmacSecretRequiresAFreshSignatureOverTheBody() {
        WebhookAuthenticator auth = authenticator(TOKEN, HMAC);
        String t = Long.toString(NOW.getEpochSecond());
        assertThat(auth.refusal(null, signature(t, "d-1", BODY), "d-1", BODY)).isNull();
        assertThat(auth.refusal("Bearer " + TOKEN, null, "d-2", BODY)).startsWith("missing signature");
        assertThat(auth.refusal(null, signature(t, "d-3", BODY), "d-3", "{\"eventType\":\"user.deleted\"}"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo("invalid signature");
        String old = Long.toString(NOW.minus(Duration.ofMinutes(6)).getEpochSecond());
        assertThat(auth.refusal(null, signature(old, "d-4", BODY), "d-4", BODY))
                .isEqualTo("signature timestamp outside the replay window");
        assertThat(auth.refusal(null, "v2=abc", "d-5", BODY)).isEqualTo("malformed signature header");
    }

    @Test
    void theSignatureCoversTheDeliveryIdSoItCannotBeReplayedUnderAnother() {
        WebhookAuthenticator auth = authenticator(TOKEN, HMAC);
        String t = Long.toString(NOW.getEpochSecond());
        String signed = signature(t, "delivery-1", BODY);
        assertThat(auth.refusal(null, signed, "delivery-1", BODY)).isNull();
        assertThat(auth.refusal(null, signed, "delivery-2", BODY)).isEqualTo("invalid signature");
        assertThat(auth.refusal(null, signed, null, BODY)).isEqualTo("invalid signature");
    }

    @Test
    void aSignatureIsAcceptedOnceWithinTheWindow() {
        WebhookAuthenticator auth = authenticator(TOKEN, HMAC);
        String t = Long.toString(NOW.getEpochSecond());
        String signed = signature(t, "delivery-1", BODY);
        assertThat(auth.refusal(null, signed, "delivery-1", BODY)).isNull();
        assertThat(auth.refusal(null, signed, "delivery-1", BODY)).startsWith("signature already used");
        String resigned = signature(Long.toString(NOW.getEpochSecond() - 1), "delivery-1", BODY);
        assertThat(auth.refusal(null, resigned, "delivery-1", BODY)).as("a retry signed again").isNull();
    }

    @Test
    void refusesFirstVersionSignaturesAndDeliveryIdsThatCouldShiftIntoTheBody() throws Exception {
        WebhookAuthenticator auth = authenticator(TOKEN, HMAC);
        String t = Long.toString(NOW.getEpochSecond());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(HMAC.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        String v1 = java.util.HexFormat.of().formatHex(mac.doFinal(BODY));
        assertThat(auth.refusal(null, "t=" + t + ",v1=" + v1, "d-1", BODY)).startsWith("v1 signatures do not cover the webhook id");
        assertThat(auth.refusal(null, signature(t, "a.b", BODY), "a.b", BODY)).contains("may not contain '.'");
    }
}
