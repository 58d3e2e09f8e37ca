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

    /** The shadow ruleset, or {@link ShadowRuleset#off()}: then no decision pays for a second evaluation. */
    @Bean(destroyMethod = "close")
    ShadowRuleset shadowRuleset(PolicySettings settings) {
        if (settings.shadowRules() == null) {
            return ShadowRuleset.off();
        }
        ShadowRuleset shadow = ShadowRuleset.load(settings.shadowRules(), Clock.systemUTC(),
                settings.compiler(Clock.systemUTC()));
        if (settings.watch()) {
            shadow.watch(settings.settle());
        }
        return shadow;
    }

    /**
     * The shadow ruleset's state. Always {@code UP}: a refused shadow is reported here, never a
     * reason to take the service out of a load balancer.
     */
    @Bean
    HealthIndicator shadowRulesetHealthIndicator(ShadowRuleset shadow) {
        return () -> {
            Health.Builder health = Health.up().withDetail("configured", shadow.configured());
            Ruleset ruleset = shadow.ruleset();
            if (ruleset != null) {
                health.withDetail("version", ruleset.version()).withDetail("rules", ruleset.rules().size())
                        .withDetail("loadedAt", ruleset.loadedAt().toString());
            } else if (shadow.configured()) {
                health.withDetail("state", "refused: decisions are made without a shadow until it is fixed");
            }
            if (shadow.lastRejected() != null) {
                health.withDetail("lastRejectedReload", shadow.lastRejected());
            }
            return health.build();
        };
    }

    @Bean
    HealthIndicator rulesetHealthIndicator(PolicyEngine engine) {
        return () -> {
            Ruleset ruleset = engine.ruleset();
            Health.Builder health = Health.up()
                    .withDetail("version", ruleset.version())
                    .withDetail("rules", ruleset.rules().size())
                    .withDetail("loadedAt", ruleset.loadedAt().toString())
                    .withDetail("evaluationsOverran", engine.evaluationsOverran());
            if (engine.standingRejection() != null) {
                // the rules directory holds an edit that is not live: say so where monitoring looks
                health.withDetail("lastRejectedReload", engine.standingRejection());
            }
            return health.build();
        };
    }
}
