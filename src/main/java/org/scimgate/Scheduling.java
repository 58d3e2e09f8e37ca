package org.scimgate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The one scheduler for the service's background work (sealing the audit chain, relaying the
 * outbox): modules register their tasks with a {@code SchedulingConfigurer}. A failed run is
 * logged as a warning and the next run retries. When the context closes the scheduler starts no
 * new run; beans that hold resources (the relay's leases) release them when they are destroyed,
 * which is before the database they use.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class Scheduling {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduling.class);

    /** Sealing and the relay's runs must not wait for each other. */
    static final int THREADS = 4;

    @Bean
    ThreadPoolTaskSchedulerCustomizer scimgateScheduler() {
        return scheduler -> {
            scheduler.setPoolSize(THREADS);
            scheduler.setThreadNamePrefix("scimgate-scheduled-");
            scheduler.setErrorHandler(e -> LOG.warn("A scheduled run failed; the next run retries: {}", e.toString()));
        };
    }
}
