package org.scimgate.remediation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.UUID;
import org.scimgate.genesys.GenesysScim;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RemediationConfiguration {

    static final Status CAP_REACHED = new Status("WARNING",
            "remediation actions are HELD past SCIMGATE_REMEDIATION_MAX_PER_HOUR: an operator releases them");

    @Bean
    RemediationRelay remediationRelay(ActionQueue queue, List<ActionType> types, RemediationSettings settings,
                                      GenesysScim genesys) {
        if (settings.relayMode() == RemediationSettings.Mode.ON && !genesys.configured()) {
            throw new IllegalStateException("SCIMGATE_REMEDIATION_MODE=on corrects accounts in Genesys and needs "
                    + "GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (a client allowed to edit users); set them, or set "
                    + "SCIMGATE_REMEDIATION_MODE=dryrun");
        }
        return new RemediationRelay(queue, types, settings, instanceName());
    }

    @Bean
    RemediationSchedule remediationSchedule(RemediationRelay relay, OutcomeExport export, Remediations remediations,
                                            RemediationSettings settings, MeterRegistry meters) {
        RemediationSchedule schedule = new RemediationSchedule(relay, export, remediations, settings);
        Gauge.builder("scimgate.remediation.held", schedule, s -> s.figures().held())
                .description("Remediation actions held past the hourly cap, waiting for an operator").register(meters);
        Gauge.builder("scimgate.remediation.cap.reached", schedule, s -> capReached(s, settings) ? 1 : 0)
                .description("1 while the actions started in the last hour reach SCIMGATE_REMEDIATION_MAX_PER_HOUR")
                .register(meters);
        Gauge.builder("scimgate.remediation.started.last.hour", schedule, s -> s.figures().startedLastHour())
                .description("Remediation actions started in the last hour, all instances").register(meters);
        Gauge.builder("scimgate.remediation.pending", schedule, s -> s.figures().pending())
                .description("Remediation actions not yet carried out").register(meters);
        Gauge.builder("scimgate.remediation.dead", schedule, s -> s.figures().dead() + s.figures().failed())
                .description("Remediation actions DEAD or FAILED, waiting for an operator").register(meters);
        return schedule;
    }

    @Bean
    HealthIndicator remediationHealthIndicator(RemediationSchedule schedule, RemediationSettings settings) {
        return () -> {
            Remediations.Figures figures = schedule.figures();
            boolean warn = figures.held() > 0 || capReached(schedule, settings);
            return Health.status(warn ? CAP_REACHED : Status.UP)
                    .withDetail("mode", settings.mode())
                    .withDetail("maxPerHour", settings.maxPerHour())
                    .withDetail("startedLastHour", figures.startedLastHour())
                    .withDetail("capReached", capReached(schedule, settings))
                    .withDetail("pending", figures.pending())
                    .withDetail("held", figures.held())
                    .withDetail("failed", figures.failed())
                    .withDetail("dead", figures.dead())
                    .build();
        };
    }

    private static boolean capReached(RemediationSchedule schedule, RemediationSettings settings) {
        return schedule.figures().startedLastHour() >= settings.maxPerHour();
    }

    private static String instanceName() {
        return ManagementFactory.getRuntimeMXBean().getName() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
