package org.scimgate.policy;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs rule code on a worker thread and waits for it at most the evaluation timeout, so that a
 * rule that loops (a {@code while (true)} needs no forbidden type) cannot hold a request thread or
 * a reload. Java cannot stop a thread that spins without looking at its interrupt flag: a timed-out
 * worker is interrupted, abandoned to finish on its own, and counted.
 */
final class BoundedEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedEvaluation.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final AtomicLong ABANDONED = new AtomicLong();
    private static final AtomicInteger STILL_RUNNING = new AtomicInteger();
    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int ABANDONED_STATE = 2;
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "rule-evaluation-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        // Drools finds its services through the context class loader.
        thread.setContextClassLoader(BoundedEvaluation.class.getClassLoader());
        return thread;
    });

    private BoundedEvaluation() {
    }

    static <T> T run(Supplier<T> evaluation, Duration timeout, String rulesetVersion) {
        // RUNNING, then FINISHED or ABANDONED, whichever comes first: an abandoned evaluation
        // counts as still running until its thread really ends.
        AtomicInteger state = new AtomicInteger(RUNNING);
        Future<T> future = WORKERS.submit(() -> {
            try {
                return evaluation.get();
            } finally {
                if (!state.compareAndSet(RUNNING, FINISHED)) {
                    STILL_RUNNING.decrementAndGet();
                }
            }
        });
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            if (state.compareAndSet(RUNNING, ABANDONED_STATE)) {
                STILL_RUNNING.incrementAndGet();
            }
            long abandoned = ABANDONED.incrementAndGet();
            LOG.error("An evaluation on ruleset {} did not finish within {} ms and was abandoned ({} so far); "
                    + "a rule probably loops", rulesetVersion, timeout.toMillis(), abandoned);
            throw new EvaluationTimedOut(rulesetVersion, timeout);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an evaluation", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Evaluations that timed out since the service started; their threads may still be running. */
    /** Abandoned evaluations whose threads have not ended yet: each may be spinning on a core. */
    static int stillRunning() {
        return STILL_RUNNING.get();
    }

    static long abandoned() {
        return ABANDONED.get();
    }
}
