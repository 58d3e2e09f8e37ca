package org.scimgate.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets callers must present. A configured value wins; otherwise one is generated on the
 * first start, kept (owner-readable only) in the credentials directory, and printed that once — the
 * service never runs open without saying so. An empty, short or placeholder secret, configured or
 * in a file, stops start-up ({@link WeakSecret}).
 */
public final class Credentials {

    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String webhookToken;
    private final String webhookHmacSecret;
    private final String analystKey;
    private final String operatorKey;
    private final ApiKeys apiKeys;

    private Credentials() {
        this.apiKeys = ApiKeys.none();
        this.webhookToken = null;
        this.webhookHmacSecret = null;
        this.analystKey = null;
        this.operatorKey = null;
    }

    /** No secrets at all, so no caller is ever authenticated: for commands that run without a web server. */
    static Credentials none() {
        return new Credentials();
    }

    Credentials(SecuritySettings settings) {
        this.webhookHmacSecret = configured(settings.webhookHmacSecret(), "SCIMGATE_WEBHOOK_HMAC_SECRET");
        this.webhookToken = configuredOrGenerated(settings.webhookToken(), settings.credentialsDir(), "webhook-token",
                "SCIMGATE_WEBHOOK_TOKEN", "Genesys must send it as 'Authorization: Bearer <token>'");
        this.operatorKey = configuredOrGenerated(settings.operatorKey(), settings.credentialsDir(), "operator-key",
                "SCIMGATE_OPERATOR_KEY", "sign in to the console at / with it, or send it as 'Authorization: Bearer <key>' to /api/**");
        this.analystKey = configured(settings.analystKey(), "SCIMGATE_ANALYST_KEY");
        if (matches(operatorKey, webhookToken) || matches(operatorKey, analystKey)) {
            throw new WeakSecret("SCIMGATE_OPERATOR_KEY", "is the same as the webhook token or the analyst key",
                    "Give every role its own secret, for example one from '" + SecretStrength.HOW_TO_GENERATE + "'.");
        }
        this.apiKeys = settings.apiKeysFile() == null || settings.apiKeysFile().toString().isBlank() ? ApiKeys.none() : ApiKeys.read(settings.apiKeysFile());
        for (ApiKeys.NamedKey named : apiKeys.keys()) {
            if (matches(named.key(), webhookToken) || matches(named.key(), operatorKey) || matches(named.key(), analystKey)) {
                throw new WeakSecret("The key of " + named.name() + " in SCIMGATE_API_KEYS_FILE",
                        "is the same as the webhook token or a single role key", "Give every person their own key.");
            }
        }
    }

    /** The named keys of {@code SCIMGATE_API_KEYS_FILE}, re-read when the file changes. */
    ApiKeys apiKeys() {
        return apiKeys;
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

    /** The configured value, or null when unset (blank); a weak one stops start-up. */
    private static String configured(String value, String variable) {
        if (value == null || value.isBlank()) {
            return null;
        }
        SecretStrength.weakness(value).ifPresent(weakness -> {
            throw new WeakSecret(variable, weakness, "Set " + variable + " to a secret of at least "
                    + SecretStrength.MINIMUM_LENGTH + " characters, for example the output of '"
                    + SecretStrength.HOW_TO_GENERATE + "', or leave it unset where a secret is generated for you.");
        });
        return value.strip();
    }

    private static String configuredOrGenerated(String configured, Path dir, String name, String variable, String use) {
        String chosen = configured(configured, variable);
        if (chosen != null) {
            return chosen;
        }
        Path file = dir.resolve(name);
        try {
            if (Files.exists(file)) {
                String kept = SecretFile.read(file);
                SecretStrength.weakness(kept).ifPresent(weakness -> {
                    throw new WeakSecret("The " + name + " kept in " + file, weakness, "Delete " + file
                            + " to have a new one generated on the next start, or set " + variable + ".");
                });
                LOG.info("Using the generated {} kept in {} (set {} to choose your own)", name, file, variable);
                return kept;
            }
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            String secret = SecretFile.create(file, generated);
            if (!secret.equals(generated)) {
                return secret;
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
}
