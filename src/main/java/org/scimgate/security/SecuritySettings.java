package org.scimgate.security;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the service.
 *
 * @param webhookToken      the shared token Genesys sends ({@code Authorization: Bearer <token>}, or as the
 *                          password of HTTP Basic); generated on first start when unset (env {@code SCIMGATE_WEBHOOK_TOKEN})
 * @param webhookHmacSecret when set, webhook calls must instead carry an HMAC-SHA256 signature over
 *                          timestamp and raw body (env {@code SCIMGATE_WEBHOOK_HMAC_SECRET})
 * @param hmacWindow        how old a signed timestamp may be; older ones are replays
 * @param analystKey        API key of the analyst role (env {@code SCIMGATE_ANALYST_KEY})
 * @param operatorKey       API key of the operator role; generated on first start when unset (env {@code SCIMGATE_OPERATOR_KEY})
 * @param credentialsDir    where generated credentials are kept
 * @param apiKeysFile       a file of named API keys, one {@code name role key} line per person (env
 *                          {@code SCIMGATE_API_KEYS_FILE}); each key acts as its named person
 * @param jwtRolesClaim     the JWT claim holding {@code analyst} / {@code operator}, when JWTs are configured
 */
@ConfigurationProperties("scimgate.security")
record SecuritySettings(
        String webhookToken,
        String webhookHmacSecret,
        @DefaultValue("5m") Duration hmacWindow,
        String analystKey,
        String operatorKey,
        @DefaultValue("./data/credentials") Path credentialsDir,
        @DefaultValue("roles") String jwtRolesClaim,
        Path apiKeysFile) {
}
