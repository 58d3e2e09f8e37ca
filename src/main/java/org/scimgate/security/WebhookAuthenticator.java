package org.scimgate.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Checks a webhook caller. By default the shared token: {@code Authorization: Bearer <token>}, or
 * HTTP Basic with the token as password (what a Genesys data action can send). With an HMAC secret
 * configured, the call must instead carry {@code X-Scimgate-Signature: t=<unix seconds>,v1=<hex>}
 * where {@code v1 = HMAC-SHA256(secret, t + "." + raw body)}, and {@code t} within the replay
 * window. Every comparison is constant-time.
 */
@Component
public class WebhookAuthenticator {

    public static final String SIGNATURE_HEADER = "X-Scimgate-Signature";

    private final Credentials credentials;
    private final Duration window;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    WebhookAuthenticator(Credentials credentials, SecuritySettings settings) {
        this(credentials, settings.hmacWindow(), Clock.systemUTC());
    }

    WebhookAuthenticator(Credentials credentials, Duration window, Clock clock) {
        this.credentials = credentials;
        this.window = window;
        this.clock = clock;
    }

    /** Null when the caller is authenticated, else the reason, for the 401 body. */
    public String refusal(String authorization, String signature, byte[] body) {
        if (credentials.webhookHmacSecret() != null) {
            return signatureRefusal(signature, body);
        }
        if (authorization == null || authorization.isBlank()) {
            return "missing credentials: send 'Authorization: Bearer <webhook token>'";
        }
        String presented = null;
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        } else if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            presented = basicPassword(authorization.substring(6).trim());
        }
        return Credentials.matches(presented, credentials.webhookToken()) ? null : "invalid credentials";
    }

    private String signatureRefusal(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            return "missing signature: send '" + SIGNATURE_HEADER + ": t=<unix seconds>,v1=<hex HMAC-SHA256>'";
        }
        String timestamp = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                timestamp = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                v1 = kv[1];
            }
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "malformed signature header";
        }
        if (v1 == null) {
            return "malformed signature header";
        }
        Duration age = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
        if (age.compareTo(window) > 0) {
            return "signature timestamp outside the replay window";
        }
        String expected = hmac(credentials.webhookHmacSecret(), timestamp, body);
        return Credentials.matches(v1.toLowerCase(java.util.Locale.ROOT), expected) ? null : "invalid signature";
    }

    /** The {@code v1} value a sender computes; public so that senders and tests share one definition. */
    public static String hmac(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String basicPassword(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
