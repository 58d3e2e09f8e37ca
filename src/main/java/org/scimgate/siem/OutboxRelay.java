package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.scimgate.genesys.CorrelationQuery;
import org.scimgate.genesys.Correlator;
import org.scimgate.genesys.GenesysRefused;
import org.scimgate.genesys.GenesysSettings;
import org.scimgate.genesys.GenesysUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves recorded decisions from the outbox to the SIEM: claims a batch, correlates each record
 * with Genesys where that is configured, sends the batch, and marks it delivered only after the
 * SIEM accepted it. At-least-once: a crash between sending and marking sends the batch again,
 * with the same decision ids.
 */
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final SiemSink sink;
    private final Correlator correlator;
    private final SiemSettings settings;
    private final GenesysSettings genesys;
    private final ObjectMapper json;
    private final Clock clock;
    private final String owner;
    private final MeterRegistry meters;
    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean stopping;

    OutboxRelay(Outbox outbox, SiemSink sink, Correlator correlator, SiemSettings settings, GenesysSettings genesys,
                ObjectMapper json, Clock clock, String owner, MeterRegistry meters) {
        this.outbox = outbox;
        this.sink = sink;
        this.correlator = correlator;
        this.settings = settings;
        this.genesys = genesys;
        this.json = json;
        this.clock = clock;
        this.owner = owner;
        this.meters = meters;
    }

    public String owner() {
        return owner;
    }

    /** Delivers batches until the backlog holds nothing due; returns the number of records delivered. */
    public int drain() {
        if (!running.tryLock()) {
            return 0;
        }
        try {
            int delivered = 0;
            while (!stopping) {
                List<OutboxEntry> batch = outbox.claim(owner, settings.batchSize(), settings.lease(), notBefore());
                if (batch.isEmpty()) {
                    break;
                }
                delivered += deliver(batch);
                if (batch.size() < settings.batchSize()) {
                    break;
                }
            }
            return delivered;
        } finally {
            running.unlock();
        }
    }

    /** Stops after the batch in flight, and hands back anything this instance still holds. */
    public void stop() {
        stopping = true;
        running.lock();
        try {
            int released = outbox.release(owner);
            if (released > 0) {
                LOG.info("Relay {} released {} claimed outbox rows on shutdown", owner, released);
            }
        } finally {
            running.unlock();
        }
    }

    private Duration notBefore() {
        return correlator.enabled() ? genesys.indexingDelay() : Duration.ZERO;
    }

    private int deliver(List<OutboxEntry> batch) {
        Map<UUID, String> correlations = new LinkedHashMap<>();
        List<SiemRecord> records = new ArrayList<>();
        for (OutboxEntry entry : batch) {
            String correlation = correlate(entry);
            if (correlation != null) {
                correlations.put(entry.decisionId(), correlation);
                records.add(record(entry, correlation));
            }
        }
        if (records.isEmpty()) {
            return 0;
        }
        try {
            sink.deliver(records);
        } catch (SiemDeliveryFailed e) {
            LOG.warn("Relay {} could not deliver {} records to the {} SIEM; will retry: {}", owner, records.size(),
                    sink.name(), e.getMessage());
            meters.counter("scimgate.siem.failures", "sink", sink.name()).increment(records.size());
            outbox.failed(correlations.keySet(), e.getMessage(), settings.maxAttempts(), settings.backoff(),
                    settings.maxBackoff());
            return 0;
        }
        outbox.delivered(correlations, owner);
        meters.counter("scimgate.siem.deliveries", "sink", sink.name()).increment(records.size());
        return records.size();
    }

    /** The correlation id to send, or null when the row was deferred to wait for Genesys. */
    private String correlate(OutboxEntry entry) {
        if (entry.correlationId() != null) {
            return entry.correlationId();
        }
        if (!correlator.enabled() || !entry.needsCorrelation()) {
            return SiemRecord.UNKNOWN_EVENT;
        }
        boolean waitedLongEnough = !clock.instant().isBefore(entry.receivedAt().plus(genesys.maxWait()));
        Instant retryAt = clock.instant().plus(genesys.indexingDelay());
        try {
            var found = correlator.correlate(new CorrelationQuery(entry.scimUserId(), entry.userName(), eventTime(entry)));
            meters.counter("scimgate.genesys.calls", "outcome", found.isPresent() ? "found" : "not_found").increment();
            if (found.isPresent()) {
                return found.get();
            }
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
        if (waitedLongEnough) {
            return SiemRecord.UNKNOWN_EVENT;
        }
        outbox.defer(entry.decisionId(), retryAt, "waiting for the Genesys event to be indexed");
        return null;
    }

    private static Instant eventTime(OutboxEntry entry) {
        try {
            return entry.eventTimestamp() == null ? entry.receivedAt() : Instant.parse(entry.eventTimestamp());
        } catch (java.time.format.DateTimeParseException e) {
            return entry.receivedAt();
        }
    }

    private SiemRecord record(OutboxEntry entry, String correlation) {
        JsonNode violations;
        try {
            violations = json.readTree(entry.violations());
        } catch (IOException e) {
            violations = json.createArrayNode();
        }
        return new SiemRecord(SiemRecord.SOURCE, clock.instant().toString(), correlation, entry.scimUserId(),
                entry.userName(), entry.outcome(), violations, entry.eventTimestamp(), "scimgate",
                entry.decisionId(), entry.rulesetVersion(), entry.deliveryId(), entry.receivedAt().toString(),
                entry.eventType());
    }
}
