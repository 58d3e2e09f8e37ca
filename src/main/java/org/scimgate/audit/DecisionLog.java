package org.scimgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes each decision and its SIEM outbox entry durably before the caller answers. Requests are
 * committed in groups: a writer takes every decision waiting, inserts them with one statement per
 * table, commits once, and only then releases each caller — the guarantee stays "recorded before
 * answered" while one fsync covers many decisions.
 *
 * <p>A delivery seen before (same idempotency key) writes nothing and returns the first decision,
 * also when both copies arrive at once: the unique key makes the second insert do nothing.
 */
@Component
public class DecisionLog implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
    private static final int MAX_GROUP = 500;
    private static final int WRITERS = 2;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String INSERT = """
            INSERT INTO decision_audit (decision_id, received_at, source, event_type, event_timestamp, delivery_id,
                idempotency_key, scim_user_id, user_name, outcome, http_status, violations, fired_rules,
                ruleset_version, request_id, detail, payload, response_body, operation, upstream_status)
            SELECT id, received, src, etype, ets, delivery, ikey, suid, uname, outcome, status, CAST(viol AS jsonb),
                   CAST(fired AS jsonb), rsv, rid, detail, CAST(payload AS jsonb), body, op, upstream
            FROM unnest(CAST(? AS uuid[]), CAST(? AS timestamptz[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS int[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS int[]))
                 AS d(id, received, src, etype, ets, delivery, ikey, suid, uname, outcome, status, viol, fired, rsv, rid,
                      detail, payload, body, op, upstream)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING decision_id
            """;

    private record Pending(DecisionRecord decision, CompletableFuture<StoredDecision> result) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;

    DecisionLog(JdbcClient jdbc, TransactionTemplate transactions, ObjectMapper json) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        for (int i = 0; i < WRITERS; i++) {
            Thread writer = new Thread(this::writeGroups, "decision-log-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    /** Records the decision durably, or returns the earlier one; throws when the database cannot be written. */
    public StoredDecision record(DecisionRecord decision) {
        if (closed) {
            throw new QueryTimeoutException("the decision log is shut down");
        }
        Pending pending = new Pending(decision, new CompletableFuture<>());
        waiting.add(pending);
        try {
            return pending.result().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new QueryTimeoutException("the decision was not recorded within " + WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryTimeoutException("interrupted while recording the decision");
        }
    }

    private void writeGroups() {
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        while (!closed) {
            try {
                Pending first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, MAX_GROUP - 1);
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void write(List<Pending> group) {
        write(group, true);
    }

    private void write(List<Pending> group, boolean mayRetry) {
        try {
            Map<DecisionRecord, StoredDecision> stored = transactions.execute(status -> insert(group));
            for (Pending pending : group) {
                pending.result().complete(stored.get(pending.decision()));
            }
        } catch (RuntimeException e) {
            if (mayRetry && isConnectionProblem(e)) {
                // A pooled connection that died with its server (a restart, a failover) fails the
                // first use; the pool has dropped it, so one more attempt gets a live one.
                LOG.warn("Recording {} decisions failed on the connection ({}); trying once more", group.size(),
                        e.toString());
                write(group, false);
                return;
            }
            fail(group, e);
        }
    }

    private void fail(List<Pending> group, RuntimeException failure) {
        if (failure instanceof DataAccessException e) {
            if (group.size() > 1 && !isConnectionProblem(e)) {
                // One bad row must not fail the others: write them one by one.
                LOG.warn("A group of {} decisions failed ({}); writing them one at a time", group.size(),
                        e.getMostSpecificCause().toString());
                for (Pending pending : group) {
                    write(List.of(pending), false);
                }
                return;
            }
        }
        group.forEach(p -> p.result().completeExceptionally(failure));
    }

    private static boolean isConnectionProblem(RuntimeException e) {
        return e instanceof org.springframework.dao.TransientDataAccessException
                || e instanceof org.springframework.dao.DataAccessResourceFailureException
                || e instanceof org.springframework.transaction.CannotCreateTransactionException
                || e instanceof org.springframework.transaction.TransactionSystemException;
    }

    private Map<DecisionRecord, StoredDecision> insert(List<Pending> group) {
        int n = group.size();
        Object[] columns = new Object[20];
        String[][] text = new String[18][n];
        Integer[] status = new Integer[n];
        Integer[] upstream = new Integer[n];
        for (int i = 0; i < n; i++) {
            DecisionRecord d = group.get(i).decision();
            text[0][i] = d.decisionId().toString();
            text[1][i] = d.receivedAt().toString();
            text[2][i] = d.source();
            text[3][i] = DatabaseText.clean(d.eventType());
            text[4][i] = DatabaseText.clean(d.eventTimestamp());
            text[5][i] = DatabaseText.clean(d.deliveryId());
            text[6][i] = DatabaseText.clean(d.idempotencyKey());
            text[7][i] = DatabaseText.clean(d.scimUserId());
            text[8][i] = DatabaseText.clean(d.userName());
            text[9][i] = d.outcome();
            status[i] = d.httpStatus();
            text[10][i] = write(d.violations());
            text[11][i] = write(d.firedRules());
            text[12][i] = d.rulesetVersion();
            text[13][i] = DatabaseText.clean(truncate(d.requestId()));
            text[14][i] = DatabaseText.clean(d.detail());
            text[15][i] = d.payload() == null ? null : write(d.payload());
            text[16][i] = DatabaseText.clean(d.responseBody());
            text[17][i] = DatabaseText.clean(d.operation());
            upstream[i] = d.upstreamStatus();
        }
        for (int c = 0, t = 0; c < 20; c++) {
            columns[c] = c == 10 ? status : c == 19 ? upstream : text[t++];
        }
        Set<UUID> inserted = new HashSet<>(jdbc.sql(INSERT).params(columns).query(UUID.class).list());
        if (!inserted.isEmpty()) {
            jdbc.sql("INSERT INTO siem_outbox (decision_id) SELECT unnest(CAST(? AS uuid[]))")
                    .param(inserted.stream().map(UUID::toString).toArray(String[]::new)).update();
        }
        Map<DecisionRecord, StoredDecision> stored = new HashMap<>();
        List<String> replayedKeys = new ArrayList<>();
        for (Pending pending : group) {
            DecisionRecord d = pending.decision();
            if (inserted.contains(d.decisionId())) {
                stored.put(d, new StoredDecision(d.decisionId(), d.httpStatus(), d.responseBody(), false));
            } else {
                replayedKeys.add(DatabaseText.clean(d.idempotencyKey()));
            }
        }
        if (!replayedKeys.isEmpty()) {
            Map<String, StoredDecision> earlier = new HashMap<>();
            jdbc.sql("SELECT idempotency_key, decision_id, http_status, response_body FROM decision_audit "
                            + "WHERE idempotency_key = ANY(CAST(? AS text[]))")
                    .param(replayedKeys.toArray(String[]::new))
                    .query(rs -> {
                        earlier.put(rs.getString(1), new StoredDecision(rs.getObject(2, UUID.class), rs.getInt(3),
                                rs.getString(4), true));
                    });
            for (Pending pending : group) {
                DecisionRecord d = pending.decision();
                if (!stored.containsKey(d)) {
                    stored.put(d, earlier.get(DatabaseText.clean(d.idempotencyKey())));
                }
            }
        }
        return stored;
    }

    @Override
    public void destroy() {
        closed = true;
        writers.forEach(Thread::interrupt);
        Pending pending;
        while ((pending = waiting.poll()) != null) {
            pending.result().completeExceptionally(new QueryTimeoutException("the decision log is shut down"));
        }
    }

    private static String truncate(String requestId) {
        return requestId == null || requestId.length() <= 200 ? requestId : requestId.substring(0, 200);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(DatabaseText.clean(json.valueToTree(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise an audit field", e);
        }
    }
}
