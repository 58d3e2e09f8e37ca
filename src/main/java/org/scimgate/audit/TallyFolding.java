package org.scimgate.audit;

import java.time.Duration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Folds newly sealed decisions into the hourly tallies ({@code decision_tally_fold}, V13), so what
 * {@link Tallies} still counts row by row stays a few seconds of decisions. Runs beside the sealing
 * on the service's scheduler. A failed run is logged by the scheduler and the next one retries; two
 * instances never fold the same positions (the function takes a lock).
 */
@Component
class TallyFolding implements SchedulingConfigurer {

    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final int BATCH = 20_000;

    private final Tallies tallies;

    TallyFolding(Tallies tallies) {
        this.tallies = tallies;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::foldAll, INTERVAL, INTERVAL));
    }

    /** Folds until the chain's head; returns how many positions were folded. */
    long foldAll() {
        long total = 0;
        int folded;
        do {
            folded = tallies.fold(BATCH);
            total += folded;
        } while (folded == BATCH);
        return total;
    }
}
