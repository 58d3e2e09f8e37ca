package org.scimgate.impact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyViolation;
import org.scimgate.policy.Ruleset;
import org.scimgate.scim.ExactJson;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;

/**
 * Re-evaluates past decisions with a candidate ruleset: one thread reads the history from the
 * cursor, a pool of one thread a core reads, evaluates and tallies batches of it (every user under
 * the evaluation timeout of its own), and a bounded number of batches
 * in flight keeps memory flat however long the history.
 */
final class Replay {

    static final int CHANGES_SHOWN = 100;
    /** CPU time of the reading and deciding threads: on a shared machine, wall time says little. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final int BATCH = 256;

    private final Ruleset candidate;
    private final ObjectMapper json;
    private final int threads;

    Replay(Ruleset candidate, ObjectMapper json) {
        this.candidate = candidate;
        this.json = json;
        // Rules run on the thread that reads the batch: one thread a core keeps the cores busy.
        this.threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    ImpactReport run(DecisionHistory history, ReplayWindow window, String liveVersion,
                     ImpactReport.NotFaithful notFaithful) throws SQLException {
        long started = System.nanoTime();
        long readerCpu = CPU.getCurrentThreadCpuTime();
        ReplayTally tally = new ReplayTally();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "replay");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(threads * 4);
        try {
            Batches batches = new Batches(pool, inFlight, tally);
            history.forEach(window, batches::add);
            batches.flush();
            pool.shutdown();
            if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("the replay did not finish within an hour");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the replay", e);
        } finally {
            pool.shutdownNow();
        }
        tally.cpu(CPU.getCurrentThreadCpuTime() - readerCpu);
        long notStoredExactly = history.notStoredExactly(window);
        return tally.report(window, liveVersion, candidate.version(), notFaithful,
                (System.nanoTime() - started) / 1_000_000, notStoredExactly);
    }

    /** Hands the rows read to the pool a batch at a time; waits while too many batches are in flight. */
    private final class Batches {

        private final ExecutorService pool;
        private final Semaphore inFlight;
        private final ReplayTally tally;
        private List<PastDecision> batch = new ArrayList<>(BATCH);

        Batches(ExecutorService pool, Semaphore inFlight, ReplayTally tally) {
            this.pool = pool;
            this.inFlight = inFlight;
            this.tally = tally;
        }

        void add(PastDecision decision) {
            batch.add(decision);
            if (batch.size() == BATCH) {
                flush();
            }
        }

        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            List<PastDecision> full = batch;
            batch = new ArrayList<>(BATCH);
            inFlight.acquireUninterruptibly();
            pool.execute(() -> {
                long cpu = CPU.getCurrentThreadCpuTime();
                try {
                    replay(full, tally);
                } finally {
                    tally.cpu(CPU.getCurrentThreadCpuTime() - cpu);
                    inFlight.release();
                }
            });
        }
    }

    /** Reads a batch's users, evaluates the readable ones, and tallies each decision. */
    private void replay(List<PastDecision> batch, ReplayTally tally) {
        List<PastDecision> readable = new ArrayList<>(batch.size());
        List<ScimUser> users = new ArrayList<>(batch.size());
        for (PastDecision decision : batch) {
            try {
                boolean webhook = "webhook".equals(decision.source());
                // As the live path read it: the webhook judged the envelope's data, the gateway the user itself.
                JsonNode user = decision.user() == null ? null : ExactJson.reader(json).readTree(decision.user());
                users.add(ScimUserReader.read(user, webhook ? "data" : "user"));
                readable.add(decision);
            } catch (MalformedPayload | java.io.IOException e) {
                tally.unreadable();
            } catch (RuntimeException e) {
                tally.failed(decision.decisionId() + ": " + e.getMessage());
            }
        }
        // As the live path decides: rules that overrun the timeout refuse the user (fail closed).
        List<Ruleset.Judged> judged;
        try {
            judged = candidate.evaluateAllOrRefuse(users);
        } catch (RuntimeException | Error e) {
            // Never a batch that silently vanishes from the report: each of its decisions failed.
            readable.forEach(d -> tally.failed(d.decisionId() + ": " + e));
            return;
        }
        for (int i = 0; i < readable.size(); i++) {
            PastDecision decision = readable.get(i);
            Ruleset.Judged one = judged.get(i);
            if (one.failure() != null) {
                tally.failed(decision.decisionId() + ": " + one.failure().getMessage());
            } else {
                tally(decision, one.evaluation(), tally);
            }
        }
    }

    private static void tally(PastDecision decision, Evaluation evaluation, ReplayTally tally) {
        Set<String> before = codes(decision.codes());
        Set<String> after = new TreeSet<>();
        for (PolicyViolation v : evaluation.violations()) {
            after.add(v.code());
        }
        List<String> added = after.stream().filter(c -> !before.contains(c)).toList();
        List<String> removed = before.stream().filter(c -> !after.contains(c)).toList();
        tally.add(decision, evaluation.verdict().name(), added, removed);
    }

    private static Set<String> codes(String codes) {
        Set<String> set = new TreeSet<>();
        if (codes != null && !codes.isEmpty()) {
            set.addAll(List.of(codes.split(",")));
        }
        return set;
    }

    static Comparator<ImpactReport.Change> oldestFirst() {
        return Comparator.comparing((ImpactReport.Change c) -> java.time.Instant.parse(c.receivedAt())).thenComparing(ImpactReport.Change::decisionId);
    }
}
