package org.scimgate.audit;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decision ids as time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then
 * random bits. New rows land at the end of the primary-key index instead of all over it, and ids
 * come from a per-thread generator: {@link UUID#randomUUID()} serialises every caller on one
 * SecureRandom, which under load was the service's worst point of contention. A decision id
 * identifies; it is not a secret, so it needs no cryptographic randomness.
 */
public final class DecisionIds {

    private DecisionIds() {
    }

    public static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long most = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }
}
