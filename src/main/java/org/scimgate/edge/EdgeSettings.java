package org.scimgate.edge;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTP edge: what every request meets before an endpoint trusts its caller.
 *
 * @param refusalsPerMinute refusals before authentication one client address may cause in a minute;
 *                          past it, its unauthenticated requests are answered 429 with Retry-After
 * @param trackedAddresses  addresses counted at once; beyond them, new addresses share one tally
 *                          (and one budget), so the memory the count takes is bounded
 * @param readTimeout       a request's headers and body must arrive within this of its first byte;
 *                          later, it is answered 408 and its connection closed
 */
@ConfigurationProperties("scimgate.edge")
record EdgeSettings(
        @DefaultValue("60") int refusalsPerMinute,
        @DefaultValue("10000") int trackedAddresses,
        @DefaultValue("10s") Duration readTimeout) {

    EdgeSettings {
        if (refusalsPerMinute < 1) {
            throw new IllegalArgumentException("scimgate.edge.refusals-per-minute must be at least 1, not "
                    + refusalsPerMinute);
        }
        if (trackedAddresses < 1) {
            throw new IllegalArgumentException("scimgate.edge.tracked-addresses must be at least 1, not "
                    + trackedAddresses);
        }
        if (readTimeout.isNegative() || readTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("scimgate.edge.read-timeout must be at least 1s, not " + readTimeout);
        }
    }
}
