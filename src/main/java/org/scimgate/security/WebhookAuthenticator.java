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
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Checks a webhook caller. By default the shared token: {@code Authorization: Bearer <token>}, or
 * HTTP Basic with the token as password (what a Genesys data action can send). With an HMAC secret
 * configured, the call must instead carry {@code X-Scimgate-Signature: t=<unix seconds>,v2=<hex>}
 * where {@code v2 = HMAC-SHA256(secret, t + "." + webhook id + "." + raw body)}, the webhook id
 * being the {@code x-genesys-webhook-id} header (empty when absent, never containing a dot),
 * {@code t} within the replay window, and the signature not used before within it. Every
 * comparison is constant-time.
 */
@Component
public class WebhookAuthenticator {

    public static final String SIGNATURE_HEADER = "X-Scimgate-Signature";
    public static final String WEBHOOK_ID_HEADER = "x-genesys-webhook-id";
    /** Signatures remembered at most: 1,000 signed requests a second over a 5-minute window, about 50 MB. */
    private static final int SEEN_CAPACITY = 300_000;

    private final Credentials credentials;
    private final Duration window;
    private final Clock clock;
    private final SeenSignatures seen = new SeenSignatures(SEEN_CAPACITY);

    @org.springframework.beans.factory.annotation.Autowired
    WebhookAuthenticator(Credentials credentials, SecuritySettings settings) {
        this(credentials, settings.hmacWindow(), Clock.systemUTC());
    }

    WebhookAuthenticator(Credentials credentials, Duration window, Clock clock) {
        this.credentials = credentials;
        this.window = window;
        this.clock = clock;
    }

    /**
     * What the headers of {@code request} already say, before a byte of its body is read: with the
     * shared token, null means authenticated; with an HMAC secret, null means only that the
     * signature header is well formed and within the window, and {@link #refusal} must still check
     * it against the body.
     */
    public String refusalBeforeBody(HttpServletRequest request) {
        if (!signed()) {
            return refusal(request.getHeader(HttpHeaders.AUTHORIZATION), null, null, null);
        }
        java.util.Enumeration<String> ids = request.getHeaders(WEBHOOK_ID_HEADER);
        if (ids != null && ids.hasMoreElements()) {
            ids.nextElement();
            if (ids.hasMoreElements()) {
                // the signature covers one id; the idempotency key would be made of them all
                return "a signed request may carry one " + WEBHOOK_ID_HEADER + " header, not several";
            }
        }
        String webhookId = request.getHeader(WEBHOOK_ID_HEADER);
        Signature signature = Signature.parse(request.getHeader(SIGNATURE_HEADER));
        return signature.refusal() != null ? signature.refusal()
                : headerRefusal(signature, webhookId == null ? "" : webhookId);
    }

    /** Whether the body takes part in authenticating a caller (an HMAC secret is configured). */
    public boolean signed() {
        return credentials.webhookHmacSecret() != null;
    }

    /** Null when the caller of {@code request} is authenticated, else the reason, for the 401 body. */
    public String refusal(HttpServletRequest request, byte[] body) {
        String early = refusalBeforeBody(request);
        if (early != null || !signed()) {
            return early;
        }
        return refusal(request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader(SIGNATURE_HEADER),
                request.getHeader(WEBHOOK_ID_HEADER), body);
    }

    String refusal(String authorization, String signature, String webhookId, byte[] body) {
        if (credentials.webhookHmacSecret() != null) {
            return signatureRefusal(signature, webhookId == null ? "" : webhookId, body);
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

    /** A signature header taken apart: its timestamp and v2 value, or why it cannot be used. */
    private record Signature(String timestamp, String v2, String refusal) {

        static Signature parse(String header) {
            if (header == null || header.isBlank()) {
                return new Signature(null, null,
                        "missing signature: send '" + SIGNATURE_HEADER + ": t=<unix seconds>,v2=<hex HMAC-SHA256>'");
            }
            String timestamp = null;
            String v2 = null;
            boolean v1 = false;
            for (String part : header.split(",")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals("t")) {
                    timestamp = kv[1];
                } else if (kv.length == 2 && kv[0].equals("v2")) {
                    v2 = kv[1];
                } else if (kv.length == 2 && kv[0].equals("v1")) {
                    v1 = true;
                }
            }
            if (v2 == null && v1) {
                return new Signature(null, null, "v1 signatures do not cover the webhook id and are no longer "
                        + "accepted: sign '<t>.<x-genesys-webhook-id>.<body>' and send it as v2");
            }
            return new Signature(timestamp, v2, null);
        }
    }

    /** What the signature header alone refuses: malformed, a dotted webhook id, or outside the window. */
    private String headerRefusal(Signature signature, String webhookId) {
        long seconds;
        try {
            seconds = Long.parseLong(signature.timestamp());
        } catch (NumberFormatException e) {
            return "malformed signature header";
        }
        if (signature.v2() == null) {
            return "malformed signature header";
        }
        if (webhookId.indexOf('.') >= 0) {
            return "a signed request's " + WEBHOOK_ID_HEADER + " may not contain '.'";
        }
        Instant signedAt;
        try {
            signedAt = Instant.ofEpochSecond(seconds);
        } catch (java.time.DateTimeException e) {
            // beyond the year one billion: outside any window, and never a server error
            return "signature timestamp outside the replay window";
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(window) > 0) {
            return "signature timestamp outside the replay window";
        }
        return null;
    }

    private String signatureRefusal(String header, String webhookId, byte[] body) {
        Signature signature = Signature.parse(header);
        if (signature.refusal() != null) {
            return signature.refusal();
        }
        String early = headerRefusal(signature, webhookId);
        if (early != null) {
            return early;
        }
        Instant now = clock.instant();
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(signature.timestamp()));
        String expected = hmac(credentials.webhookHmacSecret(), signature.timestamp(), webhookId, body);
        if (!Credentials.matches(signature.v2().toLowerCase(java.util.Locale.ROOT), expected)) {
            return "invalid signature";
        }
        return switch (seen.use(expected, signedAt.plus(window), now)) {
            case FIRST_USE -> null;
            case REPLAYED -> "signature already used: a replay; sign every request, retries too, with a new timestamp";
            case FULL -> "too many signed requests within the replay window";
        };
    }

    /** The {@code v2} value a sender computes; public so that senders and tests share one definition. */
    public static String hmac(String secret, String timestamp, String webhookId, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + "." + (webhookId == null ? "" : webhookId) + ".").getBytes(StandardCharsets.UTF_8));
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
