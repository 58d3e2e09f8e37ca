package org.scimgate.siem;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.scimgate.genesys.CorrelationQuery;
import org.scimgate.genesys.Correlator;
import org.scimgate.genesys.GenesysRefused;
import org.scimgate.genesys.GenesysSettings;
import org.scimgate.genesys.GenesysUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Correlates a claimed record with Genesys' own record of the event. What Genesys answered is
 * stored at once (fenced by the claim), so a later retry of the record, after a SIEM failure or on
 * another instance, never asks Genesys again: its rate limit is shared with the SCIM gateway.
 */
final class Enrichment {

    private static final Logger LOG = LoggerFactory.getLogger(Enrichment.class);

    private final Outbox outbox;
    private final Correlator correlator;
    private final GenesysSettings genesys;
    private final Clock clock;
    private final MeterRegistry meters;

    Enrichment(Outbox outbox, Correlator correlator, GenesysSettings genesys, Clock clock, MeterRegistry meters) {
        this.outbox = outbox;
        this.correlator = correlator;
        this.genesys = genesys;
        this.clock = clock;
        this.meters = meters;
    }

    boolean enabled() {
        return correlator.enabled();
    }

    /** The correlation id to send, or null when the row was deferred to wait for Genesys, or its lease was lost. */
    String correlate(OutboxEntry entry, Lease lease) {
        if (entry.correlationId() != null) {
            return entry.correlationId();
        }
        if (!correlator.enabled() || !entry.needsCorrelation()) {
            return SiemRecord.UNKNOWN_EVENT;
        }
        boolean waitedLongEnough = !clock.instant().isBefore(entry.receivedAt().plus(genesys.maxWait()));
        Instant retryAt = clock.instant().plus(genesys.indexingDelay());
        String found = null;
        try {
            found = correlator.correlate(new CorrelationQuery(entry.scimUserId(), entry.userName(), eventTime(entry)))
                    .orElse(null);
            meters.counter("scimgate.genesys.calls", "outcome", found != null ? "found" : "not_found").increment();
        } catch (GenesysUnavailable e) {
            meters.counter("scimgate.genesys.calls", "outcome", "unavailable").increment();
            if (e.retryAfter() != null && e.retryAfter().compareTo(genesys.indexingDelay()) > 0) {
                retryAt = clock.instant().plus(e.retryAfter());
            }
            LOG.debug("Genesys unavailable while correlating decision {}: {}", entry.decisionId(), e.getMessage());
        } catch (GenesysRefused e) {
            meters.counter("scimgate.genesys.calls", "outcome", "refused").increment();
            LOG.warn("Genesys refused the correlation lookup ({}); check the OAuth client's permissions", e.getMessage());
        } catch (RuntimeException e) {
            meters.counter("scimgate.genesys.calls", "outcome", "error").increment();
            LOG.warn("Correlating decision {} failed: {}", entry.decisionId(), e.toString());
        }
        if (found == null && waitedLongEnough) {
            found = SiemRecord.UNKNOWN_EVENT;
        }
        if (found != null) {
            if (!outbox.correlated(lease.owner(), lease.token(), entry.decisionId(), found)) {
                lease.letGo(List.of(entry.decisionId()));
                return null;
            }
            return found;
        }
        outbox.defer(lease.owner(), lease.token(), List.of(entry.decisionId()), retryAt,
                "waiting for the Genesys event to be indexed");
        lease.letGo(List.of(entry.decisionId()));
        return null;
    }

    private static Instant eventTime(OutboxEntry entry) {
        try {
            return entry.eventTimestamp() == null ? entry.receivedAt() : Instant.parse(entry.eventTimestamp());
        } catch (DateTimeParseException e) {
            return entry.receivedAt();
        }
    }
}
