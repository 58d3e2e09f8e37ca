package org.scimgate.remediation;

import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Corrective enforcement.
 *
 * @param mode         {@code off} (actions are recorded SKIPPED), {@code dryrun} (recorded DRYRUN, Genesys is
 *                     not called) or {@code on} (env {@code SCIMGATE_REMEDIATION_MODE})
 * @param maxPerHour   actions started in any hour, counted across all instances; past it they are HELD
 *                     (env {@code SCIMGATE_REMEDIATION_MAX_PER_HOUR})
 * @param batchSize    actions one relay run claims at once
 * @param pollInterval pause between relay runs
 * @param lease        how long a claimed action is reserved for one instance; longer than a Genesys call
 * @param maxAttempts  failed calls (Genesys unreachable, 5xx) before an action is DEAD
 * @param backoff      first retry delay; it doubles each attempt, with jitter, up to {@code maxBackoff}
 * @param maxBackoff   the longest retry delay
 * @param relayEnabled whether this instance carries out actions
 */
@ConfigurationProperties("scimgate.remediation")
record RemediationSettings(
        @DefaultValue("dryrun") String mode,
        @DefaultValue("20") int maxPerHour,
        @DefaultValue("10") int batchSize,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("12") int maxAttempts,
        @DefaultValue("30s") Duration backoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("true") boolean relayEnabled) {

    /** What the relay does with an action. */
    enum Mode {
        OFF, DRYRUN, ON
    }

    RemediationSettings {
        mode = mode == null || mode.isBlank() ? "dryrun" : mode.strip().toLowerCase(Locale.ROOT);
        if (!mode.equals("off") && !mode.equals("dryrun") && !mode.equals("on")) {
            throw new IllegalArgumentException("SCIMGATE_REMEDIATION_MODE must be off, dryrun or on, not \"" + mode + "\"");
        }
        if (maxPerHour < 0) {
            throw new IllegalArgumentException("SCIMGATE_REMEDIATION_MAX_PER_HOUR must be 0 or more, not " + maxPerHour);
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("scimgate.remediation.batch-size must be between 1 and 1000, not " + batchSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("scimgate.remediation.max-attempts must be 1 or more, not " + maxAttempts);
        }
    }

    Mode relayMode() {
        return Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    }
}
