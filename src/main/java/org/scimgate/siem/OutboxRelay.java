package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import org.scimgate.genesys.Correlator;
import org.scimgate.genesys.GenesysSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves recorded decisions from the outbox to the SIEM: claims a batch under a lease, correlates
 * each record with Genesys where that is configured (keeping the lease alive meanwhile), sends the
 * batch, and marks each record only after the SIEM accepted it, only while this claim still holds
 * it. At-least-once: a crash between sending and marking sends the records again, with the same
 * decision ids.
 */
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final SiemSettings settings;
    private final GenesysSettings genesys;
    private final ObjectMapper json;
    private final Clock clock;
    private final String owner;
    private final String sink;
    private final Enrichment enrichment;
    private final SetupRefusal setup;
    private final BatchDelivery delivery;
    private final ScheduledExecutorService heartbeats;
    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean stopping;

    /** The relay of the single sink, {@code default}. */
    OutboxRelay(Outbox outbox, SiemSink sink, Correlator correlator, SiemSettings settings, GenesysSettings genesys,
                ObjectMapper json, Clock clock, String owner, MeterRegistry meters) {
        this(outbox, ConfiguredSinks.DEFAULT, sink, correlator, settings, genesys, json, clock, owner, meters);
    }

    /** The relay of one named sink: it claims and settles that sink's outbox entries only. */
    OutboxRelay(Outbox outbox, String sinkName, SiemSink sink, Correlator correlator, SiemSettings settings,
                GenesysSettings genesys, ObjectMapper json, Clock clock, String owner, MeterRegistry meters) {
        this.outbox = outbox;
        this.sink = sinkName;
        this.settings = settings;
        this.genesys = genesys;
        this.json = json;
        this.clock = clock;
        this.owner = owner;
        this.enrichment = new Enrichment(outbox, correlator, genesys, clock, meters);
        this.setup = new SetupRefusal(settings.backoff(), settings.maxBackoff(), clock);
        this.delivery = new BatchDelivery(outbox, sinkName, sink, settings, setup, meters);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-lease-" + owner);
            t.setDaemon(true);
            return t;
        });
    }

    public String owner() {
        return owner;
    }

    /** The name of the sink this relay delivers to. */
    public String sink() {
        return sink;
    }

    /** Present while the SIEM refuses this relay's token, endpoint or format. */
    Optional<SetupRefusal.Refused> setupRefused() {
        return setup.current();
    }

    /** Delivers batches until the backlog holds nothing due; returns the number of records delivered. */
    public int drain() {
        if (!running.tryLock()) {
            return 0;
        }
        try {
            int delivered = 0;
            while (!stopping) {
                long claimedAt = System.nanoTime();
                Outbox.Claimed claim = outbox.claim(owner, sink, settings.batchSize(), settings.lease(), notBefore());
                if (claim.entries().isEmpty()) {
                    break;
                }
                try (Lease lease = new Lease(outbox, claim, settings.lease(), claimedAt, heartbeats)) {
                    delivered += deliver(claim.entries(), lease);
                }
                if (claim.entries().size() < settings.batchSize() || setup.current().isPresent()) {
                    break;
                }
            }
            return delivered;
        } finally {
            running.unlock();
        }
    }

    /** Stops after the send in flight, and hands back anything this instance still holds. */
    public void stop() {
        stopping = true;
        running.lock();
        try {
            int released = outbox.release(owner);
            if (released > 0) {
                LOG.info("Relay {} released {} claimed outbox rows of sink {} on shutdown", owner, released, sink);
            }
        } finally {
            running.unlock();
            heartbeats.shutdownNow();
        }
    }

    private Duration notBefore() {
        return enrichment.enabled() ? genesys.indexingDelay() : Duration.ZERO;
    }

    private int deliver(List<OutboxEntry> batch, Lease lease) {
        List<SiemRecord> records = new ArrayList<>();
        for (OutboxEntry entry : batch) {
            if (stopping) {
                break;
            }
            if (!lease.holds(entry.decisionId())) {
                continue;
            }
            String correlation = enrichment.correlate(entry, lease);
            if (correlation != null) {
                records.add(record(entry, correlation));
            }
        }
        return records.isEmpty() ? 0 : delivery.send(records, lease, () -> stopping);
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
                entry.eventType(), shadow(entry));
    }

    /** The shadow ruleset's verdict as the SIEM gets it, or null when the decision had none. */
    private JsonNode shadow(OutboxEntry entry) {
        if (entry.shadowOutcome() == null) {
            return null;
        }
        com.fasterxml.jackson.databind.node.ObjectNode shadow = json.createObjectNode()
                .put("outcome", entry.shadowOutcome()).put("rulesetVersion", entry.shadowRulesetVersion());
        try {
            shadow.set("codes", entry.shadowCodes() == null ? json.createArrayNode() : json.readTree(entry.shadowCodes()));
        } catch (IOException e) {
            shadow.set("codes", json.createArrayNode());
        }
        return shadow;
    }
}
