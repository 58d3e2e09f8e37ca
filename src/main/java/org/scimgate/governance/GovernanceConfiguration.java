package org.scimgate.governance;

import org.scimgate.audit.DecisionQuery;
import org.scimgate.audit.RulesetArchive;
import org.scimgate.policy.PolicyEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GovernanceConfiguration {

    /** Kept rulesets are compiled by the live engine's compiler and checked against their examples. */
    @Bean
    Explanation explanation(DecisionQuery decisions, RulesetArchive archive, PolicyEngine engine) {
        return new Explanation(decisions, archive, engine::candidate);
    }
}
