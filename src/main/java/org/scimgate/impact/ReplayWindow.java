package org.scimgate.impact;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The stretch of history a replay covers: {@code [from, to)}. Written as {@code since} ({@code 30d},
 * {@code 12h}, {@code 90m} or an ISO-8601 duration such as {@code PT36H}) back from now, or as two
 * instants ({@code 2026-11-01T00:00:00Z}) or dates (a date means its start, UTC).
 */
record ReplayWindow(Instant from, Instant to) {

    static final String DEFAULT_SINCE = "30d";
    /** The database stores no decision outside these; a window beyond them is cut to them. */
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    ReplayWindow {
        from = within(from);
        to = within(to);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the replay window must start before it ends: " + from + " .. " + to);
        }
    }

    private static Instant within(Instant instant) {
        return instant.isBefore(EARLIEST) ? EARLIEST : instant.isAfter(LATEST) ? LATEST : instant;
    }

    /** From the request's or the command line's {@code since}, {@code from} and {@code to}; 30 days when none is given. */
    static ReplayWindow of(String since, String from, String to, Clock clock) {
        Instant now = clock.instant();
        if (since != null && (from != null || to != null)) {
            throw new IllegalArgumentException("give either since or from/to, not both");
        }
        if (from == null && to == null) {
            Duration back = duration(since == null ? DEFAULT_SINCE : since);
            // A duration longer than the history there can be starts at the earliest instant.
            Duration possible = Duration.between(EARLIEST, now);
            return new ReplayWindow(back.compareTo(possible) >= 0 ? EARLIEST : now.minus(back), now);
        }
        if (from == null) {
            throw new IllegalArgumentException("to needs a from");
        }
        return new ReplayWindow(instant(from, "from"), to == null ? now : instant(to, "to"));
    }

    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return positive(Duration.parse(value.toUpperCase(Locale.ROOT)), text);
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return positive(switch (value.charAt(value.length() - 1)) {
                case 'd' -> Duration.ofDays(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'w' -> Duration.ofDays(7 * amount);
                default -> throw new IllegalArgumentException();
            }, text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("since must be like 30d, 12h, 90m, 2w or an ISO-8601 duration, not \""
                    + text + "\"");
        }
    }

    private static Duration positive(Duration d, String text) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("since must be positive, not " + text);
        }
        return d;
    }

    private static Instant instant(String text, String name) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an instant like 2026-11-01T00:00:00Z or a date like "
                    + "2026-11-01, not \"" + text + "\"");
        }
    }
}
