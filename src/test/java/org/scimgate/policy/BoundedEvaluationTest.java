package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BoundedEvaluationTest {

    @Test
    @Timeout(60) // a guard against a hang, not a speed target
    void countsACutOffEvaluationAsStillRunningUntilItsThreadEnds() {
        // Evaluations other tests cut off end by themselves within seconds; start from none.
        await().atMost(Duration.ofSeconds(30)).until(() -> BoundedEvaluation.stillRunning() == 0);
        CountDownLatch release = new CountDownLatch(1);

        assertThatThrownBy(() -> BoundedEvaluation.run(() -> {
            // Ignores the interrupt, as a rule spinning in a loop does.
            boolean released = false;
            while (!released) {
                try {
                    release.await();
                    released = true;
                } catch (InterruptedException ignored) {
                    // keep spinning
                }
            }
            return 1;
        }, Duration.ofMillis(50), "v-test")).isInstanceOf(EvaluationTimedOut.class);
        assertThat(BoundedEvaluation.stillRunning()).isEqualTo(1);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> BoundedEvaluation.stillRunning() == 0);
    }

    @Test
    void anEvaluationThatFinishesInTimeLeavesNothingRunning() {
        await().atMost(Duration.ofSeconds(30)).until(() -> BoundedEvaluation.stillRunning() == 0);
        assertThat(BoundedEvaluation.run(() -> 42, Duration.ofSeconds(5), "v-test")).isEqualTo(42);
        assertThat(BoundedEvaluation.stillRunning()).isZero();
    }
}
