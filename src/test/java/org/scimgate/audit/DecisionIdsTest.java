package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DecisionIdsTest {

    @Test
    void areVersion7UuidsOrderedByTheirMillisecond() {
        UUID first = DecisionIds.next();
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        long millis = first.getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(System.currentTimeMillis() - 1000, System.currentTimeMillis());
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(DecisionIds.next());
        }
        assertThat(ids).hasSize(100_000);
    }
}
