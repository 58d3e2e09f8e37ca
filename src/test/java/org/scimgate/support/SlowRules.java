package org.scimgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Code a test's rules may call once an operator allows it ({@link #ALLOW}): rules themselves can
 * no longer loop, so a rule that must overrun the evaluation timeout, or throw an Error, calls
 * this trusted library code, as a rule could call any library the operator allows.
 */
public final class SlowRules {

    /** The {@code scimgate.policy.allowed-types} entry that lets rules call this class. */
    public static final String ALLOW = "org.scimgate.support.SlowRules";

    /** Bumped by {@link #releaseAll}: every spin that began before ends. */
    private static final java.util.concurrent.atomic.AtomicLong GENERATION = new java.util.concurrent.atomic.AtomicLong();

    private SlowRules() {
    }

    /** Ends every spin running now, so a test gives the cores back as soon as it has seen what it needs. */
    public static void releaseAll() {
        GENERATION.incrementAndGet();
    }

    /**
     * Spins (ignoring interrupts) while {@code s} starts with {@code prefix}, for at most {@code seconds} or until {@link #releaseAll},
     * then answers whether it spun: well past any test's timeout, short enough not to burn a core
     * for the rest of the run.
     */
    public static boolean spinWhile(String s, String prefix, long seconds) {
        if (s == null || !s.startsWith(prefix)) {
            return false;
        }
        long generation = GENERATION.get();
        Instant end = Instant.now().plus(Duration.ofSeconds(seconds));
        while (Instant.now().isBefore(end) && GENERATION.get() == generation) {
            Thread.onSpinWait();
        }
        return true;
    }

    /**
     * As {@link #spinWhile}, having first left an empty file named {@code s} in {@code dir}: a test
     * in another process (the service it started) sees that the evaluation has begun.
     */
    public static boolean announceAndSpinWhile(String s, String prefix, String dir, long seconds) {
        if (s == null || !s.startsWith(prefix)) {
            return false;
        }
        try {
            Files.createFile(Path.of(dir, s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spinWhile(s, prefix, seconds);
    }

    /** Throws an {@link OutOfMemoryError} when {@code s} starts with {@code prefix}, as a rule that ate the heap would. */
    public static boolean exhaustMemoryIf(String s, String prefix) {
        if (s != null && s.startsWith(prefix)) {
            throw new OutOfMemoryError("Java heap space (thrown by a test's rule)");
        }
        return false;
    }
}
