package org.scimgate.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets callers must present. A configured value wins; otherwise one is generated on the
 * first start, kept (owner-readable only) in the credentials directory, and printed that once — the
 * service never runs open without saying so.
 */
public final class Credentials {

    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String webhookToken;
    private final String webhookHmacSecret;
    private final String analystKey;
    private final String operatorKey;

    Credentials(SecuritySettings settings) {
        this.webhookHmacSecret = blankToNull(settings.webhookHmacSecret());
        this.webhookToken = configuredOrGenerated(settings.webhookToken(), settings.credentialsDir(), "webhook-token",
                "SCIMGATE_WEBHOOK_TOKEN", "Genesys must send it as 'Authorization: Bearer <token>'");
        this.operatorKey = configuredOrGenerated(settings.operatorKey(), settings.credentialsDir(), "operator-key",
                "SCIMGATE_OPERATOR_KEY", "send it as 'Authorization: Bearer <key>' to /api/**");
        this.analystKey = blankToNull(settings.analystKey());
    }

    /** Constant-time comparison of a presented secret with the expected one; false when either is missing. */
    public static boolean matches(String presented, String expected) {
        if (presented == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    String webhookToken() {
        return webhookToken;
    }

    String webhookHmacSecret() {
        return webhookHmacSecret;
    }

    String analystKey() {
        return analystKey;
    }

    String operatorKey() {
        return operatorKey;
    }

    private static String configuredOrGenerated(String configured, Path dir, String name, String variable, String use) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path file = dir.resolve(name);
        try {
            if (Files.exists(file)) {
                LOG.info("Using the generated {} kept in {} (set {} to choose your own)", name, file, variable);
                return Files.readString(file, StandardCharsets.US_ASCII).trim();
            }
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.createDirectories(dir);
            Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.debug("Cannot restrict permissions of {} on this file system", file);
            }
            // Printed once, as Spring Security prints a generated password: it is the only way an
            // operator learns a secret they did not set. Later starts read it from the file.
            LOG.warn("\n\nNo {} was set, so one was generated and saved in {}:\n\n    {}\n\n{}. "
                    + "This is the only time it is printed; set {} to choose your own.\n", variable, file, secret, use, variable);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the generated " + name + " in " + dir
                    + "; set " + variable + " or make the directory writable", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
