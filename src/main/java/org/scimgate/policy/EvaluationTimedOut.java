package org.scimgate.policy;

import java.time.Duration;

/**
 * An evaluation that did not finish within {@code scimgate.policy.evaluation-timeout}: a rule
 * probably loops. No decision was reached; the thread running it was interrupted and abandoned.
 */
public class EvaluationTimedOut extends RuntimeException {

    private final String rulesetVersion;
    private final Duration timeout;

    public EvaluationTimedOut(String rulesetVersion, Duration timeout) {
        super("ruleset " + rulesetVersion + " did not finish evaluating within " + timeout.toMillis()
                + " ms; a rule probably loops");
        this.rulesetVersion = rulesetVersion;
        this.timeout = timeout;
    }

    public String rulesetVersion() {
        return rulesetVersion;
    }

    public Duration timeout() {
        return timeout;
    }
}
