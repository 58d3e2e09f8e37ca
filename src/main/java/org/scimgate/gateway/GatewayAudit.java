package org.scimgate.gateway;

import java.util.List;
import java.util.Locale;
import org.scimgate.audit.DecisionLog;
import org.scimgate.audit.DecisionRecord;
import org.scimgate.audit.DecisionRecord.AuditedViolation;
import org.scimgate.audit.DecisionRecord.FiredRule;
import org.scimgate.audit.StoredDecision;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.Ruleset;
import org.scimgate.scim.Redaction;
import org.springframework.stereotype.Component;

/** Records gateway decisions in the same audit (and SIEM outbox) as webhook decisions, with source = gateway. */
@Component
class GatewayAudit {

    static final String SOURCE = "gateway";

    private final DecisionLog log;
    private final PolicyEngine engine;

    GatewayAudit(DecisionLog log, PolicyEngine engine) {
        this.log = log;
        this.engine = engine;
    }

    StoredDecision record(GatewayDecision d) {
        Ruleset ruleset = engine.ruleset();
        List<AuditedViolation> violations = d.evaluation() == null ? List.of() : d.evaluation().violations().stream()
                .map(v -> new AuditedViolation(v.field(), v.code(), v.message(), v.severity().name().toLowerCase(Locale.ROOT),
                        v.mode().label(), v.rule()))
                .toList();
        List<FiredRule> fired = d.evaluation() == null ? List.of() : d.evaluation().firedRules().stream()
                .map(name -> {
                    PolicyRule rule = ruleset.rule(name);
                    return new FiredRule(name, rule == null ? null : rule.code());
                })
                .toList();
        return log.record(new DecisionRecord(d.decisionId(), d.receivedAt(), SOURCE, "scim." + d.operation().split(" ")[0],
                null, null, "gateway:" + d.decisionId(), d.user() == null ? null : d.user().id(),
                d.user() == null ? null : d.user().userName(), d.outcome(), d.httpStatus(), violations, fired,
                d.evaluation() == null ? ruleset.version() : d.evaluation().rulesetVersion(), null, d.detail(),
                new Redaction(ruleset.sensitiveAttributes()).apply(d.payload()), d.responseBody(), d.operation(),
                d.upstreamStatus()));
    }
}
