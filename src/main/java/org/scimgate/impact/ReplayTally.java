package org.scimgate.impact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** The replay's running counts, added to from every evaluating thread. */
final class ReplayTally {

    private final LongAdder evaluated = new LongAdder();
    private final LongAdder changed = new LongAdder();
    private final LongAdder codesChanged = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder cpuNanos = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Map<String, LongAdder> transitions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder[]> byRule = new ConcurrentHashMap<>();
    /** The oldest changes seen so far, newest at the head: memory stays bounded however many change. */
    private final PriorityQueue<ImpactReport.Change> changes = new PriorityQueue<>(Replay.oldestFirst().reversed());

    void cpu(long nanos) {
        if (nanos > 0) {
            cpuNanos.add(nanos);
        }
    }

    void unreadable() {
        unreadable.increment();
    }

    void failed(String why) {
        failed.increment();
        firstFailure.compareAndSet(null, why);
    }

    void add(PastDecision decision, String after, List<String> codesAdded, List<String> codesRemoved) {
        evaluated.increment();
        codesAdded.forEach(code -> rule(code)[0].increment());
        codesRemoved.forEach(code -> rule(code)[1].increment());
        if (!after.equals(decision.outcome())) {
            changed.increment();
            transitions.computeIfAbsent(decision.outcome() + " -> " + after, k -> new LongAdder()).increment();
            keep(new ImpactReport.Change(decision.decisionId(), decision.userName(),
                    decision.receivedAt().toString(), decision.source(), decision.outcome(), after, codesAdded,
                    codesRemoved));
        } else if (!codesAdded.isEmpty() || !codesRemoved.isEmpty()) {
            codesChanged.increment();
        }
    }

    private void keep(ImpactReport.Change change) {
        synchronized (changes) {
            changes.add(change);
            if (changes.size() > Replay.CHANGES_SHOWN) {
                changes.poll();
            }
        }
    }

    private LongAdder[] rule(String code) {
        return byRule.computeIfAbsent(code, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
    }

    ImpactReport report(ReplayWindow window, String liveVersion, String candidateVersion,
                        ImpactReport.NotFaithful notFaithful, long durationMs, long notStoredExactly) {
        Map<String, Long> transitionCounts = new TreeMap<>();
        transitions.forEach((k, v) -> transitionCounts.put(k, v.sum()));
        Map<String, ImpactReport.RuleImpact> rules = new TreeMap<>();
        byRule.forEach((k, v) -> rules.put(k, new ImpactReport.RuleImpact(v[0].sum(), v[1].sum())));
        List<ImpactReport.Change> sorted;
        synchronized (changes) {
            sorted = new ArrayList<>(changes);
        }
        sorted.sort(Replay.oldestFirst());
        boolean truncated = changed.sum() > sorted.size();
        return new ImpactReport(evaluated.sum(), changed.sum(), codesChanged.sum(), unreadable.sum(), failed.sum(),
                durationMs, cpuNanos.sum() / 1_000_000, liveVersion, candidateVersion, window.from().toString(), window.to().toString(),
                transitionCounts, rules, List.copyOf(sorted),
                truncated, notFaithful, firstFailure.get(), notStoredExactly);
    }
}
