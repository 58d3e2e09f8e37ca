package org.scimgate.audit;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Seals committed decisions into the hash chain on its own thread while the service runs. */
@Component
class AuditSealing implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSealing.class);

    private final AuditChain chain;
    private final AuditSettings settings;
    private ScheduledExecutorService executor;

    AuditSealing(AuditChain chain, AuditSettings settings) {
        this.chain = chain;
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        if (!settings.sealing()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-sealer");
            t.setDaemon(true);
            return t;
        });
        long interval = settings.sealInterval().toMillis();
        executor.scheduleWithFixedDelay(this::sealAll, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void sealAll() {
        try {
            while (chain.seal(settings.sealBatch()) == settings.sealBatch()) {
                // a full batch: more may be waiting
            }
        } catch (RuntimeException e) {
            LOG.warn("Sealing the audit chain failed; the next run retries: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }
}
