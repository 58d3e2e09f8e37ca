package org.scimgate.webhook;

import org.scimgate.audit.DecisionRecord;
import org.scimgate.decision.AuditedPolicy;
import org.scimgate.decision.Decisions;
import org.springframework.stereotype.Component;

/** Maps a judged webhook call to its audit row, with the payload's secrets removed and the shadow's verdict. */
@Component
class WebhookAudit {

    static final String SOURCE = "webhook";

    private final Decisions decisions;

    WebhookAudit(Decisions decisions) {
        this.decisions = decisions;
    }

    DecisionRecord record(WebhookDecision d, String responseBody, String requestId) {
        AuditedPolicy policy = decisions.policy(d.evaluation());
        return new DecisionRecord(d.decisionId(), d.receivedAt(), SOURCE, d.eventType(), d.eventTimestamp(),
                d.webhookId(), d.idempotencyKey(), d.user() == null ? null : d.user().id(),
                d.user() == null ? null : d.user().userName(), d.outcome().name(), d.httpStatus(), policy.violations(),
                policy.firedRules(), policy.rulesetVersion(), requestId, d.detail(), policy.redact(d.payload()),
                responseBody, null, null, d.bodySha256()).withShadow(decisions.shadow(d.evaluation(), d.user()));
    }
}
