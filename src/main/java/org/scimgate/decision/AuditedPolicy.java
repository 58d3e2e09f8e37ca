package org.scimgate.decision;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.scimgate.audit.DecisionRecord.AuditedViolation;
import org.scimgate.audit.DecisionRecord.FiredRule;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.Remedy;
import org.scimgate.policy.Ruleset;
import org.scimgate.scim.Redaction;

/**
 * What an audit row says about the policy, all from one ruleset: the one that evaluated the user,
 * or, for a request that was never evaluated, the live one read once. The violations, the codes of
 * the rules that fired, the version and the redaction of the payload can therefore never come from
 * two rulesets, whatever reload happens while the row is being written.
 */
public record AuditedPolicy(List<AuditedViolation> violations, List<FiredRule> firedRules, String rulesetVersion,
                            Set<String> sensitiveAttributes) {

    public AuditedPolicy {
        violations = List.copyOf(violations);
        firedRules = List.copyOf(firedRules);
        sensitiveAttributes = Set.copyOf(sensitiveAttributes);
    }

    /** The policy part of the row of an evaluated user. */
    public static AuditedPolicy of(Evaluation evaluation) {
        List<AuditedViolation> violations = evaluation.violations().stream()
                .map(v -> new AuditedViolation(v.field(), v.code(), v.message(),
                        v.severity().name().toLowerCase(Locale.ROOT), v.mode().label(), v.rule(),
                        remedy(evaluation.firedRule(v.rule()))))
                .toList();
        List<FiredRule> fired = evaluation.firedRules().stream()
                .map(name -> {
                    PolicyRule rule = evaluation.firedRule(name);
                    return new FiredRule(name, rule == null ? null : rule.code());
                })
                .toList();
        return new AuditedPolicy(violations, fired, evaluation.rulesetVersion(), evaluation.sensitiveAttributes());
    }

    /** The rule's remedy as stored on its violation: null (left out) where the rule has none. */
    private static String remedy(PolicyRule rule) {
        return rule == null || rule.remedy() == Remedy.NONE ? null : rule.remedy().label();
    }

    /** The policy part of the row of a request that was not evaluated: no violations, the live ruleset. */
    static AuditedPolicy unevaluated(Ruleset live) {
        return new AuditedPolicy(List.of(), List.of(), live.version(), live.sensitiveAttributes());
    }

    /** {@code payload} as it may be stored: without {@code password} and this ruleset's sensitive attributes. */
    public JsonNode redact(JsonNode payload) {
        return new Redaction(sensitiveAttributes).apply(payload);
    }
}
