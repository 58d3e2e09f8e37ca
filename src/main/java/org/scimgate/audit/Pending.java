package org.scimgate.audit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A decision waiting to be recorded. Its caller and a writer race for it: the writer claims it
 * before writing, the caller withdraws it when it stops waiting. Only one of them wins, so a
 * withdrawn decision is never written and a claimed one is always waited for.
 */
final class Pending {

    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int WITHDRAWN = 2;

    private final DecisionRecord decision;
    private final CompletableFuture<StoredDecision> result = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    Pending(DecisionRecord decision) {
        this.decision = decision;
    }

    DecisionRecord decision() {
        return decision;
    }

    CompletableFuture<StoredDecision> result() {
        return result;
    }

    /** The writer takes the decision; false when its caller has already withdrawn it. */
    boolean claim() {
        return state.compareAndSet(QUEUED, CLAIMED);
    }

    /** The caller gives up; false when a writer is already writing it. */
    boolean withdraw() {
        return state.compareAndSet(QUEUED, WITHDRAWN);
    }

    void complete(StoredDecision stored) {
        result.complete(stored);
    }

    void fail(Throwable failure) {
        result.completeExceptionally(failure);
    }
}
