package org.scimgate.edge;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Refusals before authentication, counted per client address and minute. Each address's minute
 * gets one id, the id of the audit row that will record it; a minute past, its tallies wait to be
 * written. Memory is bounded: at most {@code capacity} addresses are counted apart in a minute
 * (the rest share the tally of {@link #OTHERS}), and closed minutes not yet written are kept for
 * at most {@code capacity} addresses (and the shared tally) more (the oldest are dropped, and counted as dropped).
 */
final class RefusalTally {

    /** The address under which addresses beyond the capacity are counted, together. */
    static final String OTHERS = "other addresses";
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final int limit;
    private final int capacity;
    private final Supplier<UUID> ids;
    private Instant minute = Instant.EPOCH;
    private final Map<String, Tally> current = new HashMap<>();
    private final List<Window> closed = new ArrayList<>();
    private long dropped;

    RefusalTally(int limit, int capacity, Supplier<UUID> ids) {
        this.limit = limit;
        this.capacity = capacity;
        this.ids = ids;
    }

    /** What became of one refusal: the row that will record it, and whether it was over the budget. */
    record Counted(UUID rowId, boolean throttled, long retryAfterSeconds) {
    }

    /** One refusal as the audit keeps a sample of it: bounded, and nothing a caller authenticates with. */
    record Sample(String endpoint, String method, String path, String reason, String deliveryId, String userAgent) {

        static final int MAX = 120;

        Sample {
            endpoint = clip(endpoint);
            method = clip(method);
            path = clip(path);
            reason = clip(reason);
            deliveryId = clip(deliveryId);
            userAgent = clip(userAgent);
        }

        /** At most {@link #MAX} characters, control and formatting characters replaced. */
        static String clip(String value) {
            if (value == null) {
                return null;
            }
            String cut = value.length() > MAX ? value.substring(0, MAX) + "…" : value;
            StringBuilder safe = new StringBuilder(cut.length());
            cut.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE ? '?' : c));
            return safe.toString();
        }
    }

    /** A minute of one address's refusals, as one audit row records it. */
    record Window(UUID rowId, String address, Instant minute, Instant first, Instant last, long refused,
                  long throttled, Map<String, Long> byEndpoint, Sample sample) {
    }

    synchronized Counted count(String address, Instant at, Sample sample) {
        Instant thisMinute = at.truncatedTo(ChronoUnit.MINUTES);
        if (thisMinute.isAfter(minute)) {
            close();
            minute = thisMinute;
        }
        Tally tally = current.get(address);
        if (tally == null) {
            if (current.size() >= capacity) {
                address = OTHERS;
            }
            tally = current.computeIfAbsent(address, a -> new Tally(ids.get(), at, sample));
        }
        boolean throttled = tally.refused + tally.throttled >= limit;
        tally.add(at, sample.endpoint(), throttled);
        long retryAfter = Math.max(1, Duration.between(at, minute.plus(MINUTE)).toSeconds() + 1);
        return new Counted(tally.id, throttled, retryAfter);
    }

    /** The minutes that ended before {@code now}, taken out of the tally to be written. */
    synchronized List<Window> closedBefore(Instant now) {
        if (!now.truncatedTo(ChronoUnit.MINUTES).equals(minute)) {
            close();
        }
        List<Window> taken = List.copyOf(closed);
        closed.clear();
        return taken;
    }

    /** Every tally, the current minute's too: at shutdown, or when a test must see the rows now. */
    synchronized List<Window> all() {
        close();
        return closedBefore(minute);
    }

    /** Windows that could not be written, put back (oldest dropped past the capacity). */
    synchronized void putBack(List<Window> unwritten) {
        closed.addAll(0, unwritten);
        trim();
    }

    /** Refusals dropped uncounted since the last call, because closed minutes could not be written in time. */
    synchronized long takeDropped() {
        long d = dropped;
        dropped = 0;
        return d;
    }

    private void close() {
        current.forEach((address, t) -> closed.add(new Window(t.id, address, minute, t.first, t.last, t.refused,
                t.throttled, new TreeMap<>(t.byEndpoint), t.sample)));
        current.clear();
        trim();
    }

    private void trim() {
        while (closed.size() > capacity + 1) { // a minute's addresses and the others' shared tally
            Window lost = closed.remove(0);
            dropped += lost.refused() + lost.throttled();
        }
    }

    private static final class Tally {
        final UUID id;
        final Instant first;
        final Sample sample;
        Instant last;
        long refused;
        long throttled;
        final Map<String, Long> byEndpoint = new HashMap<>();

        Tally(UUID id, Instant first, Sample sample) {
            this.id = id;
            this.first = first;
            this.last = first;
            this.sample = sample;
        }

        void add(Instant at, String endpoint, boolean overBudget) {
            if (at.isAfter(last)) {
                last = at;
            }
            if (overBudget) {
                throttled++;
            } else {
                refused++;
            }
            if (byEndpoint.size() < 8 || byEndpoint.containsKey(endpoint)) {
                byEndpoint.merge(endpoint, 1L, Long::sum);
            } else {
                byEndpoint.merge("other", 1L, Long::sum);
            }
        }
    }
}
