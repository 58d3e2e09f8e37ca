package org.scimgate.webhook;

import java.util.List;
import org.scimgate.audit.DecisionRecord;
import org.scimgate.audit.DecisionRecord.AuditedViolation;
import org.scimgate.audit.DecisionRecord.FiredRule;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.Ruleset;
import org.scimgate.scim.Redaction;
import org.springframework.stereotype.Component;

/** Maps a judged webhook call to its audit row, with the payload's secrets removed. */
@Component
class WebhookAudit {

    static final String SOURCE = "webhook";

    private final PolicyEngine engine;

    WebhookAudit(PolicyEngine engine) {
        this.engine = engine;
    }

    DecisionRecord record(WebhookDecision d, String responseBody, String requestId) {
        Ruleset ruleset = engine.ruleset();
        Evaluation evaluation = d.evaluation();
        List<AuditedViolation> violations = evaluation == null ? List.of() : evaluation.violations().stream()
                .map(v -> new AuditedViolation(v.field(), v.code(), v.message(), v.severity().name().toLowerCase(java.util.Locale.ROOT),
                        v.mode().label(), v.rule()))
                .toList();
        List<FiredRule> fired = evaluation == null ? List.of() : evaluation.firedRules().stream()
                .map(name -> {
                    PolicyRule rule = ruleset.rule(name);
                    return new FiredRule(name, rule == null ? null : rule.code());
                })
                .toList();
        return new DecisionRecord(d.decisionId(), d.receivedAt(), SOURCE, d.eventType(), d.eventTimestamp(),
                d.webhookId(), d.idempotencyKey(), d.user() == null ? null : d.user().id(),
                d.user() == null ? null : d.user().userName(), d.outcome().name(), d.httpStatus(), violations, fired,
                evaluation == null ? ruleset.version() : evaluation.rulesetVersion(), requestId, d.detail(),
                new Redaction(ruleset.sensitiveAttributes()).apply(d.payload()), responseBody, null, null, d.bodySha256());
    }
}
