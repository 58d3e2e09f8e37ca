package org.scimgate.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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
            // Any Throwable of the rules (an OutOfMemoryError of a rule's making included) was thrown
            // on the worker, whose allocations are gone with its stack: a failure to judge, not of the caller.
            throw RulesFailed.of(rulesetVersion, e.getCause());
        }
    }

    /** What one item of a batch came to: a value, or the exception its evaluation threw. */
    record Outcome<R>(R value, RuntimeException failure) {
    }

    /**
     * Runs {@code evaluation} on each item in turn on one worker, each item under its own
     * {@code timeout}: a batch pays one hand-off instead of one per item. An item that overruns
     * gets {@code onTimeout}'s value; its worker is abandoned as {@link #run} abandons one, and the
     * items after it go on on a new worker. An Error fails its item alone, as an exception does.
     */
    static <T, R> List<Outcome<R>> runEach(List<T> items, Function<T, R> evaluation, Function<T, R> onTimeout,
                                           Duration timeout, String rulesetVersion) {
        List<Outcome<R>> outcomes = new ArrayList<>(items.size());
        int from = 0;
        while (from < items.size()) {
            // A worker that could be abandoned takes a place in the one bound first: a batch, its
            // request and all the batches running beside it never leave more spinning than the bound.
            reserve();
            Batch<T, R> batch = new Batch<>(items, from, evaluation, rulesetVersion);
            int stopped;
            Future<?> future;
            try {
                future = WORKERS.submit(batch);
                stopped = batch.await(future, timeout.toNanos(), outcomes);
            } finally {
                batch.releaseUnlessAbandoned();
            }
            if (stopped < 0) {
                break;
            }
            // Item `stopped` overran its timeout: refused; the rest go on after it on a new worker.
            future.cancel(true);
            long abandoned = ABANDONED.incrementAndGet();
            LOG.error("An evaluation on ruleset {} did not finish within {} ms and was abandoned ({} so far); "
                    + "a rule probably loops", rulesetVersion, timeout.toMillis(), abandoned);
            outcomes.add(new Outcome<>(onTimeout.apply(items.get(stopped)), null));
            from = stopped + 1;
        }
        return outcomes;
    }

    /** Items {@code from..} of a list, evaluated in order by one worker, watched by the caller. */
    private static final class Batch<T, R> implements Runnable {

        private final List<T> items;
        private final Function<T, R> evaluation;
        private final String rulesetVersion;
        private final List<Outcome<R>> done = new ArrayList<>();
        private final Object lock = new Object();
        // All guarded by lock.
        private int state = RUNNING;
        private int current;
        private long currentStarted;
        private boolean started;
        private Error error;

        Batch(List<T> items, int from, Function<T, R> evaluation, String rulesetVersion) {
            this.rulesetVersion = rulesetVersion;
            this.items = items;
            this.current = from;
            this.evaluation = evaluation;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    T item;
                    synchronized (lock) {
                        if (current >= items.size() || state != RUNNING) {
                            return;
                        }
                        item = items.get(current);
                        currentStarted = System.nanoTime();
                        started = true;
                    }
                    Outcome<R> outcome;
                    try {
                        outcome = new Outcome<>(evaluation.apply(item), null);
                    } catch (RuntimeException e) {
                        outcome = new Outcome<>(null, e);
                    } catch (Error e) {
                        // A rule that overflows the stack or eats the heap for some users only: their
                        // failure, not the batch's; what it allocated is gone with its stack.
                        outcome = new Outcome<>(null, RulesFailed.of(rulesetVersion, e));
                    }
                    synchronized (lock) {
                        if (state != RUNNING) {
                            return; // abandoned while evaluating: the caller refused this item
                        }
                        done.add(outcome);
                        current++;
                    }
                }
            } catch (Error e) {
                synchronized (lock) {
                    error = e;
                }
            } finally {
                synchronized (lock) {
                    if (state == RUNNING) {
                        state = FINISHED;
                    } else {
                        STILL_RUNNING.decrementAndGet();
                    }
                    lock.notifyAll();
                }
            }
        }

        /** Gives back the batch's place in the bound, unless it was abandoned (then it is spinning in it). */
        void releaseUnlessAbandoned() {
            synchronized (lock) {
                if (state != ABANDONED_STATE) {
                    release();
                }
            }
        }

        /**
         * Waits until the worker has finished every item (-1) or one item has run past the timeout:
         * then, in the same step, the worker is abandoned and that item's index returned. Either
         * way the outcomes of the items finished before are added to {@code into}, in order.
         */
        int await(Future<?> future, long timeoutNanos, List<Outcome<R>> into) {
            synchronized (lock) {
                while (state == RUNNING) {
                    long left = started ? currentStarted + timeoutNanos - System.nanoTime() : timeoutNanos;
                    if (started && left <= 0) {
                        state = ABANDONED_STATE;
                        abandonReserved();
                        into.addAll(done);
                        return current;
                    }
                    try {
                        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        // Stop the worker after its current item; it counts as still running until it ends.
                        state = ABANDONED_STATE;
                        abandonReserved();
                        future.cancel(true);
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for evaluations", e);
                    }
                }
                if (error != null) {
                    throw error;
                }
                into.addAll(done);
                return -1;
            }
        }
    }

    /** Guards {@link #reserved} and turns a reservation into a spinning evaluation in one step. */
    private static final Object BUDGET = new Object();
    /** Batch workers running that could be abandoned; guarded by {@link #BUDGET}. */
    private static int reserved;

    /**
     * Takes a place for a batch worker within {@link PolicyEngine#MAX_STILL_RUNNING}, counting the
     * abandoned evaluations still running and the batch workers that could yet be: waits while other
     * batches hold the places, refuses once abandoned evaluations fill the bound.
     *
     * @throws EvaluationsSpinning when abandoned evaluations still running fill the bound
     */
    private static void reserve() {
        synchronized (BUDGET) {
            while (true) {
                int spinning = STILL_RUNNING.get();
                if (spinning >= PolicyEngine.MAX_STILL_RUNNING) {
                    throw new EvaluationsSpinning(spinning);
                }
                if (spinning + reserved < PolicyEngine.MAX_STILL_RUNNING) {
                    reserved++;
                    return;
                }
                try {
                    // woken when a place is given back; an abandoned evaluation that ends frees one unannounced
                    BUDGET.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for an evaluation worker", e);
                }
            }
        }
    }

    private static void release() {
        synchronized (BUDGET) {
            reserved--;
            BUDGET.notifyAll();
        }
    }

    /** A reserved worker was abandoned: it now spins within the bound it held a place in. */
    private static void abandonReserved() {
        synchronized (BUDGET) {
            reserved--;
            STILL_RUNNING.incrementAndGet();
        }
    }

    /** Abandoned evaluations whose threads have not ended yet: each may be spinning on a core. */
    static int stillRunning() {
        return STILL_RUNNING.get();
    }

    static long abandoned() {
        return ABANDONED.get();
    }
}
