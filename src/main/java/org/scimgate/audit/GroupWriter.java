package org.scimgate.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.scimgate.audit.DecisionRows.Row;
import org.scimgate.audit.StoredDecision.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits one group of waiting decisions in one transaction: one INSERT for the audit rows, one for
 * their outbox entries, one fsync for all. A group that fails on its connection is tried once more
 * whole; a group with a row PostgreSQL refuses is written row by row, so only that row fails.
 */
final class GroupWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupWriter.class);

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final DecisionRows rows;
    private final DecisionLogSettings settings;

    GroupWriter(JdbcClient jdbc, DataSource dataSource, TransactionTemplate transactions, DecisionRows rows,
                DecisionLogSettings settings) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.rows = rows;
        this.settings = settings;
    }

    void write(List<Pending> group) {
        List<Pending> ready = new ArrayList<>(group.size());
        List<Row> prepared = new ArrayList<>(group.size());
        for (Pending pending : group) {
            try {
                prepared.add(rows.prepare(pending.decision()));
                ready.add(pending);
            } catch (IllegalArgumentException e) {
                pending.fail(new UnstorableDecision("the request", "it cannot be serialised"));
            } catch (Throwable t) {
                LOG.error("Decision {} could not be prepared for the audit", pending.decision().decisionId(), t);
                pending.fail(new TransientDataAccessResourceException("the decision could not be prepared", t));
            }
        }
        if (!ready.isEmpty()) {
            write(ready, prepared, true);
        }
    }

    private void write(List<Pending> group, List<Row> prepared, boolean mayRetry) {
        try {
            Map<UUID, StoredDecision> stored = transactions.execute(status -> insert(prepared));
            for (Pending pending : group) {
                pending.complete(stored.get(pending.decision().decisionId()));
            }
        } catch (RuntimeException e) {
            WriteFailures.Kind kind = WriteFailures.kind(e);
            if (kind == WriteFailures.Kind.CONNECTION && mayRetry) {
                // A pooled connection that died with its server (a restart, a failover) fails the
                // first use; the pool has dropped it, so one more attempt gets a live one.
                LOG.warn("Recording {} decisions failed on the connection ({}); trying once more", group.size(), e.toString());
                write(group, prepared, false);
            } else if (kind == WriteFailures.Kind.DATA && group.size() > 1) {
                LOG.warn("PostgreSQL refused a row in a group of {} decisions ({}); writing them one at a time",
                        group.size(), e.getMessage());
                for (int i = 0; i < group.size(); i++) {
                    write(List.of(group.get(i)), List.of(prepared.get(i)), false);
                }
            } else if (kind == WriteFailures.Kind.DATA) {
                UnstorableDecision unstorable = WriteFailures.unstorable(e);
                LOG.warn("Decision {} was refused by PostgreSQL: {}", group.get(0).decision().decisionId(),
                        unstorable.getMessage());
                group.get(0).fail(unstorable);
            } else {
                group.forEach(p -> p.fail(e));
            }
        }
    }

    private Map<UUID, StoredDecision> insert(List<Row> group) {
        bound();
        Set<UUID> inserted = new HashSet<>(jdbc.sql(DecisionRows.INSERT).params(DecisionRows.arrays(group))
                .query(UUID.class).list());
        Map<UUID, StoredDecision> stored = new HashMap<>();
        List<DecisionRecord> seenBefore = new ArrayList<>();
        for (Row row : group) {
            DecisionRecord d = row.decision();
            if (inserted.contains(d.decisionId())) {
                stored.put(d.decisionId(), new StoredDecision(d.decisionId(), d.httpStatus(), d.responseBody(), Kind.NEW));
            } else {
                seenBefore.add(d);
            }
        }
        if (!seenBefore.isEmpty()) {
            stored.putAll(earlier(seenBefore));
        }
        return stored;
    }

    /** Decisions whose key was recorded before: the earlier one stands, if it was for the same body. */
    private Map<UUID, StoredDecision> earlier(List<DecisionRecord> decisions) {
        record Earlier(UUID decisionId, int httpStatus, String responseBody, String bodySha256) {
        }
        Map<String, Earlier> byKey = new HashMap<>();
        jdbc.sql("SELECT idempotency_key, decision_id, http_status, response_body, body_sha256 FROM decision_audit "
                        + "WHERE idempotency_key = ANY(CAST(? AS text[]))")
                .param(decisions.stream().map(d -> DatabaseText.clean(d.idempotencyKey())).toArray(String[]::new))
                .query(rs -> {
                    byKey.put(rs.getString(1), new Earlier(rs.getObject(2, UUID.class), rs.getInt(3), rs.getString(4),
                            rs.getString(5)));
                });
        Map<UUID, StoredDecision> stored = new HashMap<>();
        for (DecisionRecord d : decisions) {
            Earlier e = byKey.get(DatabaseText.clean(d.idempotencyKey()));
            Kind kind = Objects.equals(e.bodySha256(), d.bodySha256()) ? Kind.REPLAYED : Kind.KEY_REUSED;
            stored.put(d.decisionId(), new StoredDecision(e.decisionId(), e.httpStatus(), e.responseBody(), kind));
        }
        return stored;
    }

    /** Neither a slow statement nor a database that stopped answering may hold a writer for long. */
    private void bound() {
        jdbc.sql("SELECT set_config('statement_timeout', ?, true)")
                .param(settings.writeTimeout().toMillis() + "ms").query(String.class).single();
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.setNetworkTimeout(Runnable::run, (int) settings.networkTimeout().toMillis());
        } catch (SQLException e) {
            throw new TransientDataAccessResourceException("cannot bound the audit connection's network timeout", e);
        }
    }
}
