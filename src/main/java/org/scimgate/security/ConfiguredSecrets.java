package org.scimgate.security;

import org.springframework.core.env.Environment;

/**
 * The secrets other modules read from the configuration. The SCIM token is this service's own
 * bearer secret and must be as strong as the webhook token; passwords and tokens issued by other
 * systems (the database, Splunk, Genesys) are theirs to judge, but a template's placeholder left
 * in place is refused.
 */
final class ConfiguredSecrets {

    private record Secret(String property, String variable, boolean ours) {
    }

    private static final Secret[] SECRETS = {
        new Secret("scimgate.gateway.scim-token", "SCIMGATE_SCIM_TOKEN", true),
        new Secret("scimgate.siem.token", "SIEM_TOKEN", false),
        new Secret("scimgate.genesys.client-secret", "GENESYS_CLIENT_SECRET", false),
        new Secret("spring.datasource.password", "SPRING_DATASOURCE_PASSWORD", false),
        new Secret("spring.flyway.password", "SPRING_FLYWAY_PASSWORD", false),
    };

    private ConfiguredSecrets() {
    }

    static void check(Environment environment) {
        for (Secret secret : SECRETS) {
            String value = environment.getProperty(secret.property());
            if (value == null || value.isBlank()) {
                continue;
            }
            if (secret.ours()) {
                SecretStrength.weakness(value).ifPresent(weakness -> {
                    throw new WeakSecret(secret.variable(), weakness, "Set " + secret.variable() + " to a secret of at least "
                            + SecretStrength.MINIMUM_LENGTH + " characters, for example the output of '"
                            + SecretStrength.HOW_TO_GENERATE + "', and give the identity provider the same value.");
                });
            } else if (SecretStrength.isTemplatePlaceholder(value)) {
                throw new WeakSecret(secret.variable(), "is a placeholder, not a secret",
                        "Set " + secret.variable() + " (" + secret.property() + ") to the real secret; the values in "
                                + ".env.example are placeholders.");
            }
        }
    }
}
