package org.scimgate.genesys;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Genesys Cloud, for enriching audit records before they go to the SIEM. Without a client id and
 * secret, enrichment is off and records go out at once.
 *
 * @param region            the Genesys Cloud domain of the org, e.g. {@code mypurecloud.com}, {@code mypurecloud.ie},
 *                          {@code usw2.pure.cloud} (env {@code GENESYS_REGION})
 * @param apiBaseUrl        overrides {@code https://api.<region>} (env {@code GENESYS_API_BASE_URL})
 * @param loginBaseUrl      overrides {@code https://login.<region>} (env {@code GENESYS_LOGIN_BASE_URL})
 * @param clientId          OAuth client-credentials client id (env {@code GENESYS_CLIENT_ID})
 * @param clientSecret      its secret (env {@code GENESYS_CLIENT_SECRET})
 * @param correlationSource where the provisioning event is looked up (env {@code GENESYS_CORRELATION_SOURCE})
 * @param indexingDelay     how long after the event Genesys needs before the lookup can find it
 * @param maxWait           after this long without a match a record goes out as {@code UNKNOWN_EVENT}
 * @param tokenRefreshMargin a token is replaced this long before the {@code expires_in} Genesys gave
 * @param timeout           timeout of each HTTP call
 */
@ConfigurationProperties("scimgate.genesys")
public record GenesysSettings(
        @DefaultValue("mypurecloud.com") String region,
        URI apiBaseUrl,
        URI loginBaseUrl,
        String clientId,
        String clientSecret,
        @DefaultValue("audit") CorrelationSource correlationSource,
        @DefaultValue("2s") Duration indexingDelay,
        @DefaultValue("2m") Duration maxWait,
        @DefaultValue("60s") Duration tokenRefreshMargin,
        @DefaultValue("10s") Duration timeout) {

    public enum CorrelationSource { AUDIT, SCIM_EVENTS }

    public GenesysSettings {
        region = GenesysRegions.requireDomain(region);
    }

    /**
     * The settings a command run outside the service reads: {@code GENESYS_REGION},
     * {@code GENESYS_API_BASE_URL}, {@code GENESYS_LOGIN_BASE_URL}, {@code GENESYS_CLIENT_ID} and
     * {@code GENESYS_CLIENT_SECRET}.
     *
     * @throws IllegalArgumentException for a region that is not a domain
     */
    public static GenesysSettings fromEnvironment(java.util.function.Function<String, String> env) {
        String region = env.apply("GENESYS_REGION");
        return new GenesysSettings(region == null || region.isBlank() ? "mypurecloud.com" : region,
                uri(env.apply("GENESYS_API_BASE_URL")), uri(env.apply("GENESYS_LOGIN_BASE_URL")),
                env.apply("GENESYS_CLIENT_ID"), env.apply("GENESYS_CLIENT_SECRET"), CorrelationSource.AUDIT,
                Duration.ZERO, Duration.ZERO, Duration.ofSeconds(60), Duration.ofSeconds(15));
    }

    private static URI uri(String value) {
        return value == null || value.isBlank() ? null : URI.create(value);
    }

    public boolean enabled() {
        return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isBlank();
    }

    public URI api() {
        return apiBaseUrl != null ? apiBaseUrl : URI.create("https://api." + region);
    }

    public URI login() {
        return loginBaseUrl != null ? loginBaseUrl : URI.create("https://login." + region);
    }
}
