package org.scimgate.decision;

import org.scimgate.audit.DecisionLog;
import org.scimgate.audit.DecisionRecord;
import org.scimgate.audit.StoredDecision;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.scim.ScimUser;
import org.springframework.stereotype.Component;

/**
 * The one path from a SCIM user to an audited decision, for the webhook and the gateway alike:
 * evaluate (timed, failing closed on a rule that loops), take the policy part of the row from the
 * evaluation, record the row, count it in {@code scimgate_decisions_total{outcome,source}}.
 */
@Component
public class Decisions {

    private final PolicyEngine engine;
    private final DecisionLog log;
    private final DecisionMetrics metrics;

    Decisions(PolicyEngine engine, DecisionLog log, DecisionMetrics metrics) {
        this.engine = engine;
        this.log = log;
        this.metrics = metrics;
    }

    /** The live ruleset's decision for {@code user}; a ruleset that cannot judge in time refuses it. */
    public Evaluation evaluate(ScimUser user) {
        return metrics.timed(() -> engine.evaluateOrRefuse(user));
    }

    /** The policy part of a row: of {@code evaluation}, or of the live ruleset when it is null. */
    public AuditedPolicy policy(Evaluation evaluation) {
        return evaluation == null ? AuditedPolicy.unevaluated(engine.ruleset()) : AuditedPolicy.of(evaluation);
    }

    /**
     * Records the row (see {@link DecisionLog#record}) and counts it under its outcome and source; a
     * retried delivery answered from the audit counts as {@code REPLAYED}, a reused key not at all
     * (the caller records a row of its own for it).
     *
     * @throws org.scimgate.audit.UnstorableDecision           when PostgreSQL refuses the row's data
     * @throws org.springframework.dao.DataAccessException     when the audit cannot be written
     */
    public StoredDecision record(DecisionRecord record) {
        StoredDecision stored = log.record(record);
        switch (stored.kind()) {
            case NEW -> metrics.decided(record.outcome(), record.source());
            case REPLAYED -> metrics.decided("REPLAYED", record.source());
            case KEY_REUSED -> {
                // not a decision: the caller records the refusal as one
            }
        }
        return stored;
    }
}
