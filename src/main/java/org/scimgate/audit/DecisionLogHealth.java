package org.scimgate.audit;

import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness of the decision log: every writer thread alive, none stuck on one group past its
 * timeouts, room in the queue. An instance that cannot record cannot decide.
 */
@Component("decisionLogHealthIndicator")
class DecisionLogHealth extends AbstractHealthIndicator {

    private final DecisionLog log;

    DecisionLogHealth(DecisionLog log) {
        this.log = log;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        DecisionLogSettings settings = log.settings();
        Duration stuckAfter = settings.networkTimeout().multipliedBy(2);
        int alive = 0;
        int stuck = 0;
        for (DecisionLog.Writer writer : log.writers()) {
            if (writer.alive()) {
                alive++;
            }
            Instant since = writer.busySince();
            if (since != null && Duration.between(since, Instant.now()).compareTo(stuckAfter) > 0) {
                stuck++;
            }
        }
        int waiting = log.waiting();
        boolean up = alive == log.writers().size() && stuck < alive && waiting < settings.queueCapacity();
        (up ? health.up() : health.down())
                .withDetail("writers", log.writers().size())
                .withDetail("writersAlive", alive)
                .withDetail("writersStuck", stuck)
                .withDetail("waiting", waiting)
                .withDetail("queueCapacity", settings.queueCapacity());
    }
}
