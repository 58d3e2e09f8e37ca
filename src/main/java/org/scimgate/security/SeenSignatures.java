package org.scimgate.security;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The signatures accepted within the replay window, so that each is accepted once. Kept in memory:
 * an entry is forgotten when its timestamp leaves the window, after which the timestamp check
 * refuses the signature anyway. Bounded: when it is full of live entries, new signatures are
 * refused rather than old ones forgotten.
 */
final class SeenSignatures {

    /** Expired entries are dropped every this many uses, so memory follows the traffic of one window. */
    private static final int PURGE_EVERY = 1024;

    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final AtomicInteger uses = new AtomicInteger();
    private final int capacity;

    SeenSignatures(int capacity) {
        this.capacity = capacity;
    }

    enum Result { FIRST_USE, REPLAYED, FULL }

    /** Records {@code signature} as used until {@code expiry}; tells whether it had been used before. */
    Result use(String signature, Instant expiry, Instant now) {
        if (uses.incrementAndGet() % PURGE_EVERY == 0 || expiries.size() >= capacity) {
            expiries.values().removeIf(e -> !e.isAfter(now));
        }
        if (expiries.size() >= capacity) {
            return Result.FULL;
        }
        Instant previous = expiries.putIfAbsent(signature, expiry);
        if (previous == null) {
            return Result.FIRST_USE;
        }
        // An entry expired but not purged yet counts as forgotten; of two racing callers one wins.
        return !previous.isAfter(now) && expiries.replace(signature, previous, expiry) ? Result.FIRST_USE : Result.REPLAYED;
    }

    int size() {
        return expiries.size();
    }
}
