package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeenSignaturesTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void acceptsEachSignatureOnceUntilItExpires() {
        SeenSignatures seen = new SeenSignatures(10);
        Instant expiry = NOW.plus(Duration.ofMinutes(5));
        assertThat(seen.use("a", expiry, NOW)).isEqualTo(SeenSignatures.Result.FIRST_USE);
        assertThat(seen.use("a", expiry, NOW.plusSeconds(60))).isEqualTo(SeenSignatures.Result.REPLAYED);
        assertThat(seen.use("a", expiry, expiry.plusSeconds(1))).isEqualTo(SeenSignatures.Result.FIRST_USE);
    }

    @Test
    void refusesNewSignaturesWhenFullOfLiveOnesAndForgetsExpiredOnesToMakeRoom() {
        SeenSignatures seen = new SeenSignatures(2);
        Instant expiry = NOW.plusSeconds(300);
        seen.use("a", expiry, NOW);
        seen.use("b", expiry, NOW);
        assertThat(seen.use("c", expiry, NOW)).isEqualTo(SeenSignatures.Result.FULL);
        assertThat(seen.use("c", expiry.plusSeconds(300), expiry.plusSeconds(1))).isEqualTo(SeenSignatures.Result.FIRST_USE);
        assertThat(seen.size()).isOne();
    }
}
