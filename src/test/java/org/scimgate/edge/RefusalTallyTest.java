package org.scimgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The per-address, per-minute count of refusals: its budget, its rows and its bounded memory. */
class RefusalTallyTest {

    private static final Instant MINUTE = Instant.parse("2026-12-06T21:40:00Z");
    private static final RefusalTally.Sample SAMPLE = new RefusalTally.Sample("webhook", "POST",
            "/webhook/scim-validation", "invalid credentials", "d-1", "curl");

    @Test
    void anAddressPastItsBudgetIsThrottledUntilTheMinuteEnds() {
        RefusalTally tally = new RefusalTally(3, 10, UUID::randomUUID);
        for (int i = 0; i < 3; i++) {
            assertThat(tally.count("10.0.0.1", MINUTE.plusSeconds(10), SAMPLE).throttled()).isFalse();
        }
        RefusalTally.Counted over = tally.count("10.0.0.1", MINUTE.plusSeconds(10), SAMPLE);
        assertThat(over.throttled()).isTrue();
        assertThat(over.retryAfterSeconds()).isEqualTo(51);
        assertThat(tally.count("10.0.0.2", MINUTE.plusSeconds(10), SAMPLE).throttled()).as("another address").isFalse();
        assertThat(tally.count("10.0.0.1", MINUTE.plusSeconds(61), SAMPLE).throttled()).as("the next minute").isFalse();
    }

    @Test
    void eachAddressMinuteIsOneWindowWithItsCountsAndTimes() {
        RefusalTally tally = new RefusalTally(2, 10, UUID::randomUUID);
        UUID row = tally.count("10.0.0.1", MINUTE.plusSeconds(1), SAMPLE).rowId();
        tally.count("10.0.0.1", MINUTE.plusSeconds(2), SAMPLE);
        assertThat(tally.count("10.0.0.1", MINUTE.plusSeconds(3), SAMPLE).rowId()).isEqualTo(row);
        assertThat(tally.closedBefore(MINUTE.plusSeconds(30))).as("the minute is not over").isEmpty();

        List<RefusalTally.Window> closed = tally.closedBefore(MINUTE.plusSeconds(60));
        assertThat(closed).singleElement().satisfies(w -> {
            assertThat(w.rowId()).isEqualTo(row);
            assertThat(w.refused()).isEqualTo(2);
            assertThat(w.throttled()).isEqualTo(1);
            assertThat(w.first()).isEqualTo(MINUTE.plusSeconds(1));
            assertThat(w.last()).isEqualTo(MINUTE.plusSeconds(3));
            assertThat(w.byEndpoint()).containsEntry("webhook", 3L);
        });
        assertThat(tally.closedBefore(MINUTE.plusSeconds(60))).as("taken once").isEmpty();
    }

    @Test
    void addressesBeyondTheCapacityShareOneTallyAndUnwrittenMinutesAreBounded() {
        RefusalTally tally = new RefusalTally(1_000, 100, UUID::randomUUID);
        for (int i = 0; i < 10_000; i++) {
            tally.count("10.0." + (i / 256) + "." + (i % 256), MINUTE.plusSeconds(5), SAMPLE);
        }
        List<RefusalTally.Window> windows = tally.all();
        assertThat(windows).hasSizeLessThanOrEqualTo(101);
        assertThat(windows.stream().mapToLong(w -> w.refused() + w.throttled()).sum()).isEqualTo(10_000);
        assertThat(windows).anySatisfy(w -> assertThat(w.address()).isEqualTo(RefusalTally.OTHERS));

        for (int minute = 0; minute < 5; minute++) {
            for (int i = 0; i < 100; i++) {
                tally.count("10.1.0." + i, MINUTE.plusSeconds(60L * (minute + 2)), SAMPLE);
            }
        }
        List<RefusalTally.Window> unwritten = tally.closedBefore(MINUTE.plusSeconds(60L * 10));
        assertThat(unwritten).as("closed minutes kept at most").hasSize(101);
        assertThat(tally.takeDropped()).as("the older ones, dropped and counted").isEqualTo(399);
        tally.putBack(unwritten);
        tally.putBack(unwritten);
        assertThat(tally.all()).as("put back, still bounded").hasSize(101);
    }

    @Test
    void theSampleIsClippedAndHasNoControlCharacters() {
        RefusalTally.Sample sample = new RefusalTally.Sample("webhook", "POST", "/x", "r", "d\u0000\n" + "x".repeat(300),
                "agent\u202e");
        assertThat(sample.deliveryId()).hasSize(RefusalTally.Sample.MAX + 1).doesNotContain("\u0000", "\n");
        assertThat(sample.userAgent()).isEqualTo("agent?");
    }
}
