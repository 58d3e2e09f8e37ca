package org.scimgate.decision;

import java.util.List;
import org.scimgate.audit.DecisionLog;
import org.scimgate.audit.DecisionRecord;
import org.scimgate.audit.StoredDecision;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.Membership;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.PolicyViolation;
import org.scimgate.policy.Ruleset;
import org.scimgate.policy.ShadowRuleset;
import org.scimgate.scim.ScimUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one path from a SCIM user to an audited decision, for the webhook and the gateway alike:
 * evaluate (timed, failing closed on a rule that loops), take the policy part of the row from the
 * evaluation, record the row, count it in {@code scimgate_decisions_total{outcome,source}}. With a
 * shadow ruleset, each evaluated user is judged by it too and its verdict goes on the row beside
 * the live one; the answer never depends on it.
 */
@Component
public class Decisions {

    private static final Logger LOG = LoggerFactory.getLogger(Decisions.class);

    private final PolicyEngine engine;
    private final ShadowRuleset shadow;
    private final DecisionLog log;
    private final DecisionMetrics metrics;

    Decisions(PolicyEngine engine, ShadowRuleset shadow, DecisionLog log, DecisionMetrics metrics) {
        this.engine = engine;
        this.shadow = shadow;
        this.log = log;
        this.metrics = metrics;
    }

    /** The live ruleset's decision for {@code user}; a ruleset that cannot judge in time refuses it. */
    public Evaluation evaluate(ScimUser user) {
        return metrics.timed(() -> engine.evaluateOrRefuse(user));
    }

    /** The live ruleset's decision for one change of {@code user}'s group membership; fails closed as {@link #evaluate(ScimUser)}. */
    public Evaluation evaluate(ScimUser user, Membership membership) {
        return metrics.timed(() -> engine.evaluateOrRefuse(user, membership));
    }

    /** A refusal by the live ruleset made without evaluating: the facts the rules need could not be had. */
    public Evaluation refusal(String field, String code, String message) {
        return engine.refusal(field, code, message);
    }

    /** The policy part of a row: of {@code evaluation}, or of the live ruleset when it is null. */
    public AuditedPolicy policy(Evaluation evaluation) {
        return evaluation == null ? AuditedPolicy.unevaluated(engine.ruleset()) : AuditedPolicy.of(evaluation);
    }

    /**
     * The shadow ruleset's verdict on {@code user}, whom the live rules judged as {@code live}; null
     * when there is no shadow (no cost then) or the live rules never evaluated the request. It goes
     * through the shadow engine's evaluate-or-refuse, as the live decision does: a shadow that loops
     * or throws is recorded as refusing the user with the policy's own codes, and nothing it does
     * fails the request or changes its answer.
     */
    public DecisionRecord.Shadow shadow(Evaluation live, ScimUser user) {
        if (live == null || user == null || !shadow.active()) {
            return null;
        }
        try {
            Evaluation verdict = shadow.evaluateOrRefuse(user);
            return verdict == null ? null : new DecisionRecord.Shadow(verdict.verdict().name(),
                    verdict.rulesetVersion(), verdict.violations().stream().map(PolicyViolation::code).toList());
        } catch (RuntimeException | Error e) {
            // Any Error too, an OutOfMemoryError of a rule's own making included: it was thrown on
            // the policy's worker, and the shadow must never fail the request it watches.
            Ruleset ruleset = shadow.ruleset();
            LOG.error("The shadow ruleset could not judge a user; its verdict is recorded as {}",
                    PolicyEngine.EVALUATION_FAILED, e);
            return new DecisionRecord.Shadow("REJECTED", ruleset == null ? null : ruleset.version(),
                    List.of(PolicyEngine.EVALUATION_FAILED));
        }
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
            case NEW -> {
                metrics.decided(record.outcome(), record.source());
                if (ShadowDivergence.diverges(record)) {
                    metrics.shadowDiverged(record.outcome(), record.shadow().outcome());
                }
            }
            case REPLAYED -> metrics.decided("REPLAYED", record.source());
            case KEY_REUSED -> {
                // not a decision: the caller records the refusal as one
            }
        }
        return stored;
    }
}
