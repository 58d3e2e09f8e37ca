package org.scimgate.gateway;

import org.scimgate.audit.DecisionRecord;
import org.scimgate.audit.StoredDecision;
import org.scimgate.decision.AuditedPolicy;
import org.scimgate.decision.Decisions;
import org.springframework.stereotype.Component;

/** Records gateway decisions in the same audit (and SIEM outbox) as webhook decisions, with source = gateway. */
@Component
class GatewayAudit {

    static final String SOURCE = "gateway";

    private final Decisions decisions;

    GatewayAudit(Decisions decisions) {
        this.decisions = decisions;
    }

    StoredDecision record(GatewayDecision d) {
        AuditedPolicy policy = decisions.policy(d.evaluation());
        return decisions.record(new DecisionRecord(d.decisionId(), d.receivedAt(), SOURCE,
                "scim." + d.operation().split(" ")[0], null, null, "gateway:" + d.decisionId(),
                d.user() == null ? null : d.user().id(), d.user() == null ? null : d.user().userName(), d.outcome(),
                d.httpStatus(), policy.violations(), policy.firedRules(), policy.rulesetVersion(), null, d.detail(),
                policy.redact(d.payload()), d.responseBody(), d.operation(), d.upstreamStatus())
                .withShadow(d.membership() ? null : decisions.shadow(d.evaluation(), d.user())));
    }
}
