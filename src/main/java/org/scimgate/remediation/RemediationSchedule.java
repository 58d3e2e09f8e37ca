package org.scimgate.remediation;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs the remediation relay and the export of its outcomes on the service's scheduler, and
 * refreshes the figures health and metrics show. Destroyed before the database: it lets the call in
 * flight finish and releases the rest.
 */
class RemediationSchedule implements SchedulingConfigurer, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RemediationSchedule.class);
    private static final Duration FIGURES_INTERVAL = Duration.ofSeconds(10);

    private final RemediationRelay relay;
    private final OutcomeExport export;
    private final Remediations remediations;
    private final RemediationSettings settings;
    private final AtomicReference<Remediations.Figures> figures = new AtomicReference<>(Remediations.Figures.NONE);

    RemediationSchedule(RemediationRelay relay, OutcomeExport export, Remediations remediations,
                        RemediationSettings settings) {
        this.relay = relay;
        this.export = export;
        this.remediations = remediations;
        this.settings = settings;
    }

    Remediations.Figures figures() {
        return figures.get();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::refreshFigures, FIGURES_INTERVAL, Duration.ZERO));
        if (settings.relayEnabled()) {
            tasks.addFixedDelayTask(new FixedDelayTask(this::run, settings.pollInterval(), settings.pollInterval()));
            LOG.info("Remediation relay {} started in mode {} (at most {} actions an hour)", relay.owner(),
                    settings.mode(), settings.maxPerHour());
        } else {
            LOG.info("Remediation relay is disabled on this instance (scimgate.remediation.relay-enabled=false)");
        }
    }

    /** One run: carry out what is due, then send the outcomes to the SIEM. */
    void run() {
        try {
            relay.drain();
        } catch (RuntimeException e) {
            LOG.warn("The remediation relay run failed; the next run retries: {}", e.toString());
        }
        try {
            export.export();
        } catch (RuntimeException e) {
            LOG.warn("Exporting remediation outcomes failed; the next run retries: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        relay.stop();
    }

    private void refreshFigures() {
        try {
            figures.set(remediations.figures());
        } catch (RuntimeException e) {
            LOG.debug("Could not read remediation figures: {}", e.toString());
        }
    }
}
