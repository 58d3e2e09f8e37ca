package org.scimgate.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an empty, short or placeholder secret into a start-up message naming the secret and the fix. */
class WeakSecretFailureAnalyzer extends AbstractFailureAnalyzer<WeakSecret> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WeakSecret cause) {
        return new FailureAnalysis(cause.getMessage() + ".", cause.fix(), cause);
    }
}
