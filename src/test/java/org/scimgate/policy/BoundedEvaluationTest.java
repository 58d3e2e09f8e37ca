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
        CutOffEvaluations.awaitNoneRunning();
        CountDownLatch release = new CountDownLatch(1);

        assertThatThrownBy(() -> BoundedEvaluation.run(() -> {
            spinUntil(release);
            return 1;
        }, Duration.ofMillis(50), "v-test")).isInstanceOf(EvaluationTimedOut.class);
        assertThat(BoundedEvaluation.stillRunning()).isEqualTo(1);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> BoundedEvaluation.stillRunning() == 0);
    }

    @Test
    void anEvaluationThatFinishesInTimeLeavesNothingRunning() {
        CutOffEvaluations.awaitNoneRunning();
        assertThat(BoundedEvaluation.run(() -> 42, Duration.ofSeconds(5), "v-test")).isEqualTo(42);
        assertThat(BoundedEvaluation.stillRunning()).isZero();
    }

    @Test
    @Timeout(60) // a guard against a hang, not a speed target
    void aBatchRefusesOnlyTheItemThatOverranAndGoesOnWithTheRest() {
        CutOffEvaluations.awaitNoneRunning();
        CountDownLatch release = new CountDownLatch(1);
        java.util.List<BoundedEvaluation.Outcome<String>> outcomes = BoundedEvaluation.runEach(
                java.util.List.of(1, 2, 3, 4, 5),
                n -> {
                    if (n == 3) {
                        spinUntil(release);
                    }
                    if (n == 4) {
                        throw new IllegalArgumentException("rule threw for 4");
                    }
                    return "judged " + n;
                },
                n -> "refused " + n, Duration.ofMillis(200), "v-test");

        assertThat(outcomes).extracting(BoundedEvaluation.Outcome::value)
                .containsExactly("judged 1", "judged 2", "refused 3", null, "judged 5");
        assertThat(outcomes.get(3).failure()).hasMessage("rule threw for 4");
        assertThat(BoundedEvaluation.stillRunning()).isEqualTo(1);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> BoundedEvaluation.stillRunning() == 0);
    }

    @Test
    void aBatchThatFinishesInTimeLeavesNothingRunning() {
        CutOffEvaluations.awaitNoneRunning();
        java.util.List<Integer> items = java.util.stream.IntStream.range(0, 1_000).boxed().toList();
        assertThat(BoundedEvaluation.runEach(items, n -> n * 2, n -> -1, Duration.ofSeconds(5), "v-test"))
                .extracting(BoundedEvaluation.Outcome::value)
                .containsExactlyElementsOf(items.stream().map(n -> n * 2).toList());
        assertThat(BoundedEvaluation.stillRunning()).isZero();
    }

    /** Waits for {@code release}, ignoring interrupts as a rule spinning in a loop does. */
    private static void spinUntil(CountDownLatch release) {
        boolean released = false;
        while (!released) {
            try {
                release.await();
                released = true;
            } catch (InterruptedException ignored) {
                // keep spinning
            }
        }
    }
}
