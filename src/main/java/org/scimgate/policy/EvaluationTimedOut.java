package org.scimgate.policy;

import java.time.Duration;
import java.util.List;

/**
 * An evaluation that took longer than {@code scimgate.policy.evaluation-timeout}: Drools fired no
 * further rule once the timeout had passed, and no decision was reached.
 */
public class EvaluationTimedOut extends RuntimeException {

    public static final String CODE = "POLICY_EVALUATION_TIMEOUT";

    private final String rulesetVersion;
    private final Duration timeout;

    public EvaluationTimedOut(String rulesetVersion, Duration timeout) {
        super("ruleset " + rulesetVersion + " did not finish evaluating within " + timeout.toMillis()
                + " ms; a rule takes too long");
        this.rulesetVersion = rulesetVersion;
        this.timeout = timeout;
    }

    public String rulesetVersion() {
        return rulesetVersion;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * The decision an entry point records and answers: refused, because the policy could not judge;
     * made by {@code ruleset}, the one that timed out.
     */
    Evaluation refusal(Ruleset ruleset) {
        return ruleset.evaluation(List.of(new PolicyViolation("user", CODE, "the policy did not finish evaluating "
                + "within " + timeout.toMillis() + " ms, so the user is refused until the rules are fixed",
                Severity.HIGH, Mode.ENFORCE, null)), List.of());
    }
}
