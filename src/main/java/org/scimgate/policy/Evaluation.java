package org.scimgate.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one ruleset decided for one user: the violations in a stable order, the rules that fired
 * (by name, in firing order), and what an audit row needs of that same ruleset: its version, the
 * metadata of the rules that fired and the attributes it lists as sensitive. Nothing here is read
 * from the live ruleset afterwards, so a reload while the decision is recorded cannot mix two
 * rulesets in one row.
 */
public record Evaluation(List<PolicyViolation> violations, List<String> firedRules, String rulesetVersion,
                         Map<String, PolicyRule> firedRuleMetadata, Set<String> sensitiveAttributes) {

    public Evaluation {
        violations = List.copyOf(violations);
        firedRules = List.copyOf(firedRules);
        firedRuleMetadata = Map.copyOf(firedRuleMetadata);
        sensitiveAttributes = Set.copyOf(sensitiveAttributes);
    }

    /** Violations of rules in {@code enforce} mode: any of them means the user is refused. */
    public List<PolicyViolation> enforced() {
        return violations.stream().filter(v -> v.mode() == Mode.ENFORCE).toList();
    }

    /** Violations of rules in {@code warn} mode: the user is accepted and the caller told. */
    public List<PolicyViolation> warnings() {
        return violations.stream().filter(v -> v.mode() == Mode.WARN).toList();
    }

    public boolean compliant() {
        return enforced().isEmpty();
    }

    /** The one place the accepted / accepted-with-warnings / rejected choice is made. */
    public Verdict verdict() {
        if (!compliant()) {
            return Verdict.REJECTED;
        }
        return warnings().isEmpty() ? Verdict.ACCEPTED : Verdict.ACCEPTED_WITH_WARNINGS;
    }

    /**
     * The metadata of a rule that fired, as the ruleset that evaluated had it; null for any other
     * name, and for none (the violation of an evaluation that failed names no rule).
     */
    public PolicyRule firedRule(String name) {
        return name == null ? null : firedRuleMetadata.get(name);
    }
}
