package org.scimgate.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The inline SCIM gateway identity providers point their connector at.
 *
 * @param scimToken   the bearer token the identity provider sends; checked here, never passed to Genesys
 *                    (env {@code SCIMGATE_SCIM_TOKEN}); unset turns the gateway off
 * @param retryAfter  the {@code Retry-After} of a 503 when Genesys cannot be reached
 * @param maxPageSize the largest {@code count} passed to Genesys, which may answer 429 to more than 25
 * @param maxBodySize the largest request body read, and only once the caller is authenticated; larger ones get 413
 * @param membershipLockWait how long a change adding a user to a group waits for another change of the same
 *                    user's groups to finish (on any instance) before it is refused as busy
 * @param membershipMemory for this long after Genesys accepted a group write the gateway forwarded, the groups it
 *                    put a user in count as that user's when another change is judged, even if Genesys' read of
 *                    the user does not show them yet; zero turns this off
 */
@ConfigurationProperties("scimgate.gateway")
public record GatewaySettings(String scimToken, @DefaultValue("30s") Duration retryAfter,
                              @DefaultValue("25") int maxPageSize, @DefaultValue("1MB") DataSize maxBodySize,
                              @DefaultValue("5s") Duration membershipLockWait,
                              @DefaultValue("60s") Duration membershipMemory) {

    public boolean enabled() {
        return scimToken != null && !scimToken.isBlank();
    }
}
