package org.scimgate.siem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.scimgate.audit.AuditChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs each sink's relay on a thread of its own while the service runs (a sink that answers
 * slowly or not at all delays no other sink's deliveries), and refreshes the outbox figures that
 * metrics and health show. The scheduler stops starting runs when the context closes; this bean is
 * destroyed before the database it uses, and then lets each batch in flight finish and releases
 * the rest.
 */
class RelaySchedule implements SchedulingConfigurer, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RelaySchedule.class);
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(10);

    private final List<OutboxRelay> relays;
    private final Outbox outbox;
    private final SiemSettings settings;
    private final AuditChain chain;
    private final SiemSinks sinks;
    private final Duration checkpointInterval;
    private final Map<String, String> lastExportedHead = new ConcurrentHashMap<>();
    private final AtomicReference<Outbox.OutboxStats> stats =
            new AtomicReference<>(new Outbox.OutboxStats(0, 0, Duration.ZERO));
    private final AtomicReference<Map<String, Outbox.SinkStats>> sinkStats = new AtomicReference<>(Map.of());
    private volatile ScheduledExecutorService threads;

    RelaySchedule(List<OutboxRelay> relays, Outbox outbox, SiemSettings settings, AuditChain chain, SiemSinks sinks,
                  Duration checkpointInterval) {
        this.relays = List.copyOf(relays);
        this.outbox = outbox;
        this.settings = settings;
        this.chain = chain;
        this.sinks = sinks;
        this.checkpointInterval = checkpointInterval;
    }

    Outbox.OutboxStats stats() {
        return stats.get();
    }

    /** Every sink's figures by name, configured or not. */
    Map<String, Outbox.SinkStats> sinkStats() {
        return sinkStats.get();
    }

    /** One sink's figures; zero until the first refresh. */
    Outbox.SinkStats sinkStats(String sink) {
        return sinkStats.get().getOrDefault(sink, Outbox.SinkStats.none(sink));
    }

    List<OutboxRelay> relays() {
        return relays;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::refreshStats, STATS_INTERVAL, Duration.ZERO));
        if (settings.relayEnabled()) {
            List<String> resumed = outbox.configureSinks(sinks.names());
            if (!resumed.isEmpty()) {
                LOG.info("SIEM sinks {} get every decision recorded from now on", resumed);
            }
            ScheduledExecutorService pool = Executors.newScheduledThreadPool(relays.size(), r -> {
                Thread t = new Thread(r, "siem-relay");
                t.setDaemon(true);
                return t;
            });
            long every = settings.pollInterval().toMillis();
            for (OutboxRelay relay : relays) {
                pool.scheduleWithFixedDelay(() -> drain(relay), every, every, TimeUnit.MILLISECONDS);
                LOG.info("Outbox relay {} started for SIEM sink {}", relay.owner(), relay.sink());
            }
            threads = pool;
            tasks.addFixedDelayTask(new FixedDelayTask(this::exportCheckpoint, checkpointInterval, checkpointInterval));
        } else {
            LOG.info("Outbox relay is disabled on this instance (scimgate.siem.relay-enabled=false)");
        }
    }

    private static void drain(OutboxRelay relay) {
        try {
            relay.drain();
        } catch (RuntimeException e) {
            LOG.warn("Outbox relay for SIEM sink {} failed; the next run retries: {}", relay.sink(), e.toString());
        }
    }

    /** Before the database goes: finish the batches in flight, release what is claimed. */
    @Override
    public void destroy() {
        ScheduledExecutorService pool = threads;
        if (pool != null) {
            pool.shutdown();
        }
        relays.forEach(OutboxRelay::stop);
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Sends the audit chain's head to each sink it has not reached yet since it moved. */
    void exportCheckpoint() {
        chain.head().ifPresent(head -> {
            boolean exported = false;
            for (SiemSinks.Named named : sinks.all()) {
                if (head.hash().equals(lastExportedHead.get(named.name()))) {
                    continue;
                }
                try {
                    named.sink().deliver(List.of(ChainCheckpoint.of(head.position(), head.hash(), Instant.now().toString())));
                    lastExportedHead.put(named.name(), head.hash());
                    exported = true;
                    LOG.info("Exported the audit chain head (position {}) to SIEM sink {}", head.position(), named.name());
                } catch (SiemDeliveryFailed e) {
                    LOG.warn("Could not export the audit chain head to SIEM sink {}; the next run retries: {}",
                            named.name(), e.getMessage());
                }
            }
            if (exported) {
                // Outside the database once any sink has it.
                chain.checkpointExported(head);
            }
        });
    }

    void refreshStats() {
        try {
            stats.set(outbox.stats());
            sinkStats.set(Map.copyOf(outbox.statsBySink()));
        } catch (RuntimeException e) {
            LOG.debug("Could not read outbox figures: {}", e.toString());
        }
    }
}
