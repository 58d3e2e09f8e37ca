package org.scimgate.audit;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Seals committed decisions into the hash chain on the service's scheduler while it runs. A failed
 * run is logged by the scheduler and the next one retries.
 */
@Component
class AuditSealing implements SchedulingConfigurer {

    private final AuditChain chain;
    private final AuditSettings settings;

    AuditSealing(AuditChain chain, AuditSettings settings) {
        this.chain = chain;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        if (settings.sealing()) {
            tasks.addFixedDelayTask(new FixedDelayTask(this::sealAll, settings.sealInterval(), settings.sealInterval()));
        }
    }

    void sealAll() {
        while (chain.seal(settings.sealBatch()) == settings.sealBatch()) {
            // a full batch: more may be waiting
        }
    }
}
