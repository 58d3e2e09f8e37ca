package org.scimgate.policy;

import java.util.List;

/**
 * What the ruleset decided for one user: the violations in a stable order, the rules that fired
 * (by name, in firing order) and the version of the ruleset that decided.
 */
public record Evaluation(List<PolicyViolation> violations, List<String> firedRules, String rulesetVersion) {

    public Evaluation {
        violations = List.copyOf(violations);
        firedRules = List.copyOf(firedRules);
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
}
