package org.scimgate.siem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.scimgate.audit.AuditChain;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the relay on its own thread while the service runs, and refreshes the outbox figures that
 * metrics and health show. On shutdown it lets the batch in flight finish and releases the rest.
 */
class RelaySchedule implements SmartLifecycle {

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
    private ScheduledExecutorService executor;

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
    public synchronized void start() {
        executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "outbox-relay");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::refreshStats, 0, STATS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        if (settings.relayEnabled()) {
            executor.scheduleWithFixedDelay(this::drain, settings.pollInterval().toMillis(),
                    settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            executor.scheduleWithFixedDelay(this::exportCheckpoint, checkpointInterval.toMillis(),
                    checkpointInterval.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Outbox relay {} started", relay.owner());
        } else {
            LOG.info("Outbox relay is disabled on this instance (scimgate.siem.relay-enabled=false)");
        }
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        relay.stop();
        executor.shutdownNow();
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        // Stop before the web server and the connection pool go away.
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    private void drain() {
        try {
            relay.drain();
        } catch (RuntimeException e) {
            LOG.warn("Outbox relay run failed; the next run retries: {}", e.toString());
        }
    }

    /** Sends the audit chain's head to the SIEM when it moved since the last export. */
    void exportCheckpoint() {
        try {
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
        } catch (RuntimeException e) {
            LOG.warn("Could not read the audit chain head: {}", e.toString());
        }
    }

    private void refreshStats() {
        try {
            stats.set(outbox.stats());
        } catch (RuntimeException e) {
            LOG.debug("Could not read outbox figures: {}", e.toString());
        }
    }
}
