package org.scimgate.policy;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a ruleset that does not compile into a start-up message listing every error, without a stack trace. */
class RulesetFailureAnalyzer extends AbstractFailureAnalyzer<RulesetRejected> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RulesetRejected cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the rules listed above, or point SCIMGATE_RULES_DIR at a directory that compiles, then start again.",
                cause);
    }
}
