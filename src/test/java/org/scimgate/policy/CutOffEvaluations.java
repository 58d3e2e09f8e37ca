package org.scimgate.policy;

import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * For tests whose shadow must judge: the shadow stands aside while cut-off evaluations spin, and
 * tests of looping rules leave some spinning for a few seconds after they end.
 */
public final class CutOffEvaluations {

    private CutOffEvaluations() {
    }

    /** Waits until no cut-off evaluation is still running anywhere in this JVM. */
    public static void awaitNoneRunning() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> BoundedEvaluation.stillRunning() == 0);
    }
}
