package org.scimgate.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes each decision and its SIEM outbox entry durably before the caller answers. Requests are
 * committed in groups: a writer takes every decision waiting, commits them in one transaction
 * ({@link GroupWriter}), and only then releases each caller — "recorded before answered" holds
 * while one fsync covers many decisions.
 *
 * <p>A caller that is not answered within {@code answer-within} withdraws its decision, which is
 * then never written: a 503 means nothing was recorded. Once a writer has claimed it, the caller
 * waits for the outcome instead, which the write timeout bounds.
 *
 * <p>A delivery seen before (same idempotency key) writes nothing and returns the first decision,
 * also when both copies arrive at once: the unique key makes the second insert do nothing.
 */
@Component
public class DecisionLog implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
    private static final int MAX_GROUP = 500;
    private static final int WRITERS = 2;

    private final GroupWriter writer;
    private final DecisionLogSettings settings;
    private final BlockingQueue<Pending> waiting;
    private final List<Writer> writers = new ArrayList<>();
    private volatile boolean closed;

    /** One writer thread; {@code busySince} is when it began its current group, null while idle. */
    static final class Writer {
        private Thread thread;
        private volatile Instant busySince;

        boolean alive() {
            return thread.isAlive();
        }

        Instant busySince() {
            return busySince;
        }
    }

    DecisionLog(JdbcClient jdbc, DataSource dataSource, TransactionTemplate transactions, ObjectMapper json,
                DecisionLogSettings settings) {
        this.writer = new GroupWriter(jdbc, dataSource, transactions, new DecisionRows(json), settings);
        this.settings = settings;
        this.waiting = new ArrayBlockingQueue<>(settings.queueCapacity());
        for (int i = 0; i < WRITERS; i++) {
            Writer w = new Writer();
            w.thread = new Thread(() -> writeGroups(w), "decision-log-writer-" + i);
            w.thread.setDaemon(true);
            writers.add(w);
            w.thread.start();
        }
    }

    /** Records the decision durably, or returns the earlier one; throws when the database cannot be written. */
    public StoredDecision record(DecisionRecord decision) {
        if (closed) {
            throw new TransientDataAccessResourceException("the decision log is shut down");
        }
        Pending pending = new Pending(decision);
        if (!waiting.offer(pending)) {
            throw new TransientDataAccessResourceException(
                    "the decision log is full (" + settings.queueCapacity() + " decisions waiting)");
        }
        try {
            return await(pending);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TransientDataAccessResourceException("the decision was not recorded", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.withdraw();
            throw new QueryTimeoutException("interrupted while recording the decision");
        }
    }

    private StoredDecision await(Pending pending) throws ExecutionException, InterruptedException {
        try {
            return pending.result().get(settings.answerWithin().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (pending.withdraw()) {
                throw new QueryTimeoutException("the decision was not recorded within "
                        + settings.answerWithin().toSeconds() + " s and was withdrawn");
            }
        }
        // A writer holds it: its transaction ends within the write and network timeouts.
        Duration bound = settings.networkTimeout().plusSeconds(5);
        try {
            return pending.result().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new QueryTimeoutException("the decision's commit did not finish; its outcome is unknown");
        }
    }

    private void writeGroups(Writer self) {
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        while (!closed || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, MAX_GROUP - 1);
                group.removeIf(p -> !p.claim());
                if (!group.isEmpty()) {
                    self.busySince = Instant.now();
                    writer.write(group);
                }
            } catch (InterruptedException e) {
                group.forEach(p -> p.fail(new TransientDataAccessResourceException("the decision log is shut down")));
                return;
            } catch (Throwable t) {
                // Anything, an OutOfMemoryError included, fails this group's callers, never the writer.
                LOG.error("A decision writer failed on a group of {}; its callers are answered 503", group.size(), t);
                group.forEach(p -> p.fail(new TransientDataAccessResourceException("the decision log failed", t)));
            } finally {
                self.busySince = null;
                group.clear();
            }
        }
    }

    List<Writer> writers() {
        return writers;
    }

    int waiting() {
        return waiting.size();
    }

    DecisionLogSettings settings() {
        return settings;
    }

    /** Runs after the web server has drained: what is queued is still written, then the writers stop. */
    @Override
    public void destroy() throws InterruptedException {
        closed = true;
        long deadline = System.nanoTime() + settings.networkTimeout().toNanos();
        for (Writer w : writers) {
            w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            w.thread.interrupt();
        }
        Pending pending;
        while ((pending = waiting.poll()) != null) {
            pending.fail(new TransientDataAccessResourceException("the decision log is shut down"));
        }
    }
}
