package org.scimgate.audit;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hash chain over the audit. A sealer links committed rows in batches, off the request path,
 * so inserts never wait on each other; one instance at a time seals (an advisory lock), and
 * {@link #verify()} recomputes every link.
 */
@Component
public class AuditChain {

    /** Rows committed this many sequence numbers behind the newest sealed one are still found. */
    private static final long LOOKBACK = 100_000;
    private static final long SEALER_LOCK = 0x5C1_64_7E;

    public record Head(long position, String hash) {
    }

    /** The outcome of a verification; {@code brokenAt} and {@code problem} describe the first broken link. */
    public record Verification(boolean intact, long checked, Head head, Long brokenAt, UUID brokenDecisionId,
                               String problem, long unsealedOlderThanAMinute) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;

    AuditChain(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
    }

    /** Links up to {@code limit} unsealed rows to the chain; returns how many. */
    public int seal(int limit) {
        Integer sealed = transactions.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(SEALER_LOCK)
                    .query(Boolean.class).single())) {
                return 0;
            }
            Optional<long[]> last = jdbc.sql("SELECT position, audit_seq FROM audit_chain ORDER BY position DESC LIMIT 1")
                    .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).optional();
            long position = last.map(l -> l[0]).orElse(0L);
            byte[] previous = last.isEmpty() ? CanonicalRow.GENESIS : jdbc.sql(
                    "SELECT row_hash FROM audit_chain WHERE position = ?").param(position).query(byte[].class).single();
            long maxSealedSeq = jdbc.sql("SELECT coalesce(max(audit_seq), 0) FROM audit_chain").query(Long.class).single();
            record Row(UUID id, long seq, byte[] canonical) {
            }
            List<Row> rows = jdbc.sql("SELECT " + CanonicalRow.COLUMNS + " FROM decision_audit a "
                            + "WHERE a.seq > ? AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.decision_id = a.decision_id) "
                            + "ORDER BY a.seq LIMIT ?")
                    .params(Math.max(0, maxSealedSeq - LOOKBACK), limit)
                    .query((rs, n) -> new Row(UUID.fromString(rs.getString(1)), Long.parseLong(rs.getString(2)),
                            CanonicalRow.read(rs, 1)))
                    .list();
            List<Object[]> links = new ArrayList<>(rows.size());
            for (Row row : rows) {
                byte[] hash = CanonicalRow.chain(previous, row.canonical());
                links.add(new Object[] {++position, row.id(), row.seq(), previous, hash});
                previous = hash;
            }
            template.batchUpdate("INSERT INTO audit_chain (position, decision_id, audit_seq, prev_hash, row_hash) "
                    + "VALUES (?, ?, ?, ?, ?)", links);
            return rows.size();
        });
        return sealed == null ? 0 : sealed;
    }

    public Optional<Head> head() {
        return jdbc.sql("SELECT position, row_hash FROM audit_chain ORDER BY position DESC LIMIT 1")
                .query((rs, n) -> new Head(rs.getLong(1), HexFormat.of().formatHex(rs.getBytes(2))))
                .optional();
    }

    /** Recomputes the whole chain from the rows as they are now, and reports the first broken link. */
    public Verification verify() {
        long unsealed = jdbc.sql("""
                SELECT count(*) FROM decision_audit a WHERE a.received_at < now() - interval '1 minute'
                AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.decision_id = a.decision_id)""")
                .query(Long.class).single();
        Walk walk = new Walk();
        template.query(con -> {
            var statement = con.prepareStatement("SELECT c.position, c.decision_id::text, c.prev_hash, c.row_hash, "
                    + "a.decision_id IS NOT NULL, " + CanonicalRow.COLUMNS
                    + " FROM audit_chain c LEFT JOIN decision_audit a ON a.decision_id = c.decision_id ORDER BY c.position");
            statement.setFetchSize(1000);
            return statement;
        }, rs -> {
            if (walk.problem != null) {
                return;
            }
            long position = rs.getLong(1);
            UUID id = UUID.fromString(rs.getString(2));
            byte[] prev = rs.getBytes(3);
            byte[] stored = rs.getBytes(4);
            if (position != walk.checked + 1) {
                walk.fail(position, id, "a link is missing before position " + position);
            } else if (!java.util.Arrays.equals(prev, walk.previous)) {
                walk.fail(position, id, "prev_hash does not match the hash of the link before it");
            } else if (!rs.getBoolean(5)) {
                walk.fail(position, id, "the decision this link seals is gone");
            } else if (!java.util.Arrays.equals(CanonicalRow.chain(prev, CanonicalRow.read(rs, 6)), stored)) {
                walk.fail(position, id, "the decision was changed after it was sealed");
            } else {
                walk.checked = position;
                walk.previous = stored;
            }
        });
        Head head = head().orElse(new Head(0, HexFormat.of().formatHex(CanonicalRow.GENESIS)));
        return new Verification(walk.problem == null, walk.checked, head, walk.brokenAt, walk.brokenId, walk.problem,
                unsealed);
    }

    private static final class Walk {
        long checked;
        byte[] previous = CanonicalRow.GENESIS;
        Long brokenAt;
        UUID brokenId;
        String problem;

        void fail(long position, UUID id, String why) {
            brokenAt = position;
            brokenId = id;
            problem = why;
        }
    }
}
