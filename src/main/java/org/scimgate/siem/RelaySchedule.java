package org.scimgate.siem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.scimgate.audit.AuditChain;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs the relay on the service's scheduler while the service runs, and refreshes the outbox
 * figures that metrics and health show. The scheduler stops starting runs when the context closes;
 * this bean is destroyed before the database it uses, and then lets the batch in flight finish
 * and releases the rest.
 */
class RelaySchedule implements SchedulingConfigurer, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RelaySchedule.class);
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(10);

    private final OutboxRelay relay;
    private final Outbox outbox;
    private final SiemSettings settings;
    private final AuditChain chain;
    private final SiemSink sink;
    private final Duration checkpointInterval;
    private volatile String lastExportedHead;
    private final AtomicReference<Outbox.OutboxStats> stats =
            new AtomicReference<>(new Outbox.OutboxStats(0, 0, Duration.ZERO));

    RelaySchedule(OutboxRelay relay, Outbox outbox, SiemSettings settings, AuditChain chain, SiemSink sink,
                  Duration checkpointInterval) {
        this.relay = relay;
        this.outbox = outbox;
        this.settings = settings;
        this.chain = chain;
        this.sink = sink;
        this.checkpointInterval = checkpointInterval;
    }

    Outbox.OutboxStats stats() {
        return stats.get();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::refreshStats, STATS_INTERVAL, Duration.ZERO));
        if (settings.relayEnabled()) {
            tasks.addFixedDelayTask(new FixedDelayTask(relay::drain, settings.pollInterval(), settings.pollInterval()));
            tasks.addFixedDelayTask(new FixedDelayTask(this::exportCheckpoint, checkpointInterval, checkpointInterval));
            LOG.info("Outbox relay {} started", relay.owner());
        } else {
            LOG.info("Outbox relay is disabled on this instance (scimgate.siem.relay-enabled=false)");
        }
    }

    /** Before the database goes: finish the batch in flight, release what is claimed. */
    @Override
    public void destroy() {
        relay.stop();
    }

    /** Sends the audit chain's head to the SIEM when it moved since the last export. */
    void exportCheckpoint() {
        chain.head().filter(head -> !head.hash().equals(lastExportedHead)).ifPresent(head -> {
            try {
                sink.deliver(List.of(ChainCheckpoint.of(head.position(), head.hash(), Instant.now().toString())));
                lastExportedHead = head.hash();
                chain.checkpointExported(head);
                LOG.info("Exported the audit chain head (position {}) to the SIEM", head.position());
            } catch (SiemDeliveryFailed e) {
                LOG.warn("Could not export the audit chain head; the next run retries: {}", e.getMessage());
            }
        });
    }

    private void refreshStats() {
        try {
            stats.set(outbox.stats());
        } catch (RuntimeException e) {
            LOG.debug("Could not read outbox figures: {}", e.toString());
        }
    }
}
