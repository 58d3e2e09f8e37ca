package org.scimgate.policy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PolicyConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyConfiguration.class);

    @Bean(destroyMethod = "close")
    PolicyEngine policyEngine(PolicySettings settings) {
        PolicyEngine engine = PolicyEngine.load(settings.rulesDir(), Clock.systemUTC(),
                settings.compiler(Clock.systemUTC()));
        LOG.info("Loaded ruleset {} with {} rules from {}", engine.ruleset().version(), engine.ruleset().rules().size(),
                settings.rulesDir().toAbsolutePath().normalize());
        return engine;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "scimgate.policy.watch", havingValue = "true", matchIfMissing = true)
    RulesetWatcher rulesetWatcher(PolicyEngine engine, PolicySettings settings) throws java.io.IOException {
        return new RulesetWatcher(engine, settings.settle());
    }

    /** Evaluations cut off by the timeout: each may have left a thread spinning in a rule. */
    @Bean
    MeterBinder abandonedEvaluationsMetric(PolicyEngine engine) {
        return registry -> Gauge.builder("scimgate.policy.evaluations.abandoned", engine, PolicyEngine::abandonedEvaluations)
                .description("Evaluations cut off by scimgate.policy.evaluation-timeout since start-up")
                .register(registry);
    }

    @Bean
    HealthIndicator rulesetHealthIndicator(PolicyEngine engine) {
        return () -> {
            Ruleset ruleset = engine.ruleset();
            return Health.up()
                    .withDetail("version", ruleset.version())
                    .withDetail("rules", ruleset.rules().size())
                    .withDetail("loadedAt", ruleset.loadedAt().toString())
                    .withDetail("abandonedEvaluations", engine.abandonedEvaluations())
                    .withDetail("evaluationsStillRunning", engine.evaluationsStillRunning())
                    .build();
        };
    }
}
