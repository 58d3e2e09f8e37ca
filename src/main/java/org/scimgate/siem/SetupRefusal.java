package org.scimgate.siem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the SIEM currently refuses the relay itself (its token, endpoint or format: 401, 403,
 * 404, …). That is no record's fault, so records are not dead-lettered: they wait, without
 * counting an attempt, for a delay that doubles from {@code scimgate.siem.backoff} up to
 * {@code scimgate.siem.max-backoff} while the refusals last; health shows it until a batch is accepted.
 */
final class SetupRefusal {

    record Refused(String answer, Instant since, int times) {
    }

    private final Duration first;
    private final Duration max;
    private final Clock clock;
    private volatile Refused current;

    SetupRefusal(Duration first, Duration max, Clock clock) {
        this.first = first;
        this.max = max;
        this.clock = clock;
    }

    /** Records a refusal; returns when to try again. */
    synchronized Instant refused(String answer) {
        Refused before = current;
        int times = before == null ? 1 : before.times() + 1;
        current = new Refused(answer, before == null ? clock.instant() : before.since(), times);
        Duration delay = first.multipliedBy(1L << Math.min(times - 1, 30));
        return clock.instant().plus(delay.compareTo(max) > 0 || delay.isNegative() ? max : delay);
    }

    void accepted() {
        current = null;
    }

    Optional<Refused> current() {
        return Optional.ofNullable(current);
    }
}
