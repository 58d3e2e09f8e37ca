package org.scimgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Code a test's rules may call once an operator allows it ({@link #ALLOW}): rules themselves can
 * no longer loop, so a rule that must overrun the evaluation timeout, or throw an Error, calls
 * this trusted library code, as a rule could call any library the operator allows.
 */
public final class SlowRules {

    /** The {@code scimgate.policy.allowed-types} entry that lets rules call this class. */
    public static final String ALLOW = "org.scimgate.support.SlowRules";

    /** The thread the last call of {@link #runsLongIf} ran on. */
    private static volatile Thread lastThread;

    private SlowRules() {
    }

    /**
     * Keeps the core busy (ignoring interrupts) for {@code millis} when {@code s} starts with
     * {@code prefix}, then answers whether it did: one firing that takes long, as a rule running in
     * time exponential in its length, or library code the operator allowed, would.
     */
    public static boolean runsLongIf(String s, String prefix, long millis) {
        lastThread = Thread.currentThread();
        if (s == null || !s.startsWith(prefix)) {
            return false;
        }
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return true;
    }

    /** The thread the rules last called {@link #runsLongIf} on, or null. */
    public static Thread lastThread() {
        return lastThread;
    }

    /**
     * As {@link #runsLongIf}, having first left an empty file named {@code s} in {@code dir}: a test
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
        return runsLongIf(s, prefix, seconds * 1000);
    }

    /** Throws an {@link OutOfMemoryError} when {@code s} starts with {@code prefix}, as a rule that ate the heap would. */
    public static boolean exhaustMemoryIf(String s, String prefix) {
        if (s != null && s.startsWith(prefix)) {
            throw new OutOfMemoryError("Java heap space (thrown by a test's rule)");
        }
        return false;
    }
}
