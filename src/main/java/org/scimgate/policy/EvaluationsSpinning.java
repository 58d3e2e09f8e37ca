package org.scimgate.policy;

/**
 * Work that can wait (a replay, an impact analysis) was not started: cut-off evaluations still
 * running fill {@link PolicyEngine#MAX_STILL_RUNNING}, and another worker could spin beside them.
 */
public class EvaluationsSpinning extends RuntimeException {

    EvaluationsSpinning(int spinning) {
        super(spinning + " evaluations cut off for taking too long are still running (a rule loops), the most "
                + "the service allows; no further evaluation is started for work that can wait until they end", null,
                false, false);
    }
}
