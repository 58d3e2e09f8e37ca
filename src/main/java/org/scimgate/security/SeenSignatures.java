package org.scimgate.security;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signatures accepted within the replay window, so that each is accepted once. Kept in memory:
 * an entry is forgotten when its timestamp leaves the window, after which the timestamp check
 * refuses the signature anyway. Bounded: when it is full of live entries, new signatures are
 * refused rather than old ones forgotten.
 */
final class SeenSignatures {

    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final int capacity;

    SeenSignatures(int capacity) {
        this.capacity = capacity;
    }

    enum Result { FIRST_USE, REPLAYED, FULL }

    /** Records {@code signature} as used until {@code expiry}; tells whether it had been used before. */
    Result use(String signature, Instant expiry, Instant now) {
        if (expiries.size() >= capacity) {
            expiries.values().removeIf(e -> !e.isAfter(now));
            if (expiries.size() >= capacity) {
                return Result.FULL;
            }
        }
        Instant previous = expiries.putIfAbsent(signature, expiry);
        if (previous == null) {
            return Result.FIRST_USE;
        }
        if (!previous.isAfter(now)) {
            // expired but not purged yet: the caller's window check already refused a stale timestamp
            expiries.put(signature, expiry);
            return Result.FIRST_USE;
        }
        return Result.REPLAYED;
    }

    int size() {
        return expiries.size();
    }
}
