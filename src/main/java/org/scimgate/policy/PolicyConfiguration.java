package org.scimgate.policy;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PolicyConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyConfiguration.class);

    @Bean(destroyMethod = "close")
    PolicyEngine policyEngine(PolicySettings settings) {
        Ruleset ruleset = new RulesetCompiler(Clock.systemUTC()).compile(settings.rulesDir());
        LOG.info("Loaded ruleset {} with {} rules from {}", ruleset.version(), ruleset.rules().size(),
                settings.rulesDir().toAbsolutePath().normalize());
        return new PolicyEngine(ruleset);
    }

    @Bean
    HealthIndicator rulesetHealthIndicator(PolicyEngine engine) {
        return () -> {
            Ruleset ruleset = engine.ruleset();
            return Health.up()
                    .withDetail("version", ruleset.version())
                    .withDetail("rules", ruleset.rules().size())
                    .withDetail("loadedAt", ruleset.loadedAt().toString())
                    .build();
        };
    }
}
