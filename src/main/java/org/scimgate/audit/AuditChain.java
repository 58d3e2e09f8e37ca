package org.scimgate.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hash chain over the audit. The database computes it: every inserted decision is queued by a
 * trigger in its own transaction, and {@code audit_seal()} (owned by the schema owner) links the
 * queued rows that have committed, off the request path, so inserts never wait on each other and
 * a row is sealed whenever it commits. The service may call the function but cannot write links
 * itself. {@link #verify()} recomputes every link itself, from the rows, trusting no code stored in the database.
 */
@Component
public class AuditChain {

    static final byte[] GENESIS = new byte[32];

    public record Head(long position, String hash) {
    }

    /** A head that was exported to the SIEM, as recorded in {@code audit_checkpoint}. */
    public record Checkpoint(long position, String hash, Instant exportedAt) {
    }

    /** One link that does not hold, or a part of the chain that is gone. */
    public record Break(long position, UUID decisionId, String problem) {
    }

    /**
     * The outcome of a verification.
     *
     * @param intact          every link verified, nothing behind the last exported checkpoint is missing, and no
     *                        decision older than a minute is left unsealed
     * @param checked         links read
     * @param head            the newest link
     * @param breaks          every break found, in chain order (at most {@link ChainWalk#MAX_LISTED}; see breakCount)
     * @param breakCount      how many breaks there are in all
     * @param unsealedOlderThanAMinute decisions older than a minute that no link seals
     * @param unsealedDecisionIds      the first of them
     * @param lastCheckpoint  the last head exported to the SIEM, or null when none was
     * @param linksSinceCheckpoint     how many links were sealed after it (null without a checkpoint)
     * @param sealingChanged  every way the database's functions, triggers and audit tables differ from what the
     *                        migrations define (a replaced {@code audit_canonical()}, a disabled trigger, …); the
     *                        chain is verified without them either way, but rows sealed by changed code are not
     *                        to be trusted, so any difference makes the verification fail
     * @param rulesets        the kept rulesets ({@link RulesetArchive}): rows and files verified, and every problem
     */
    public record Verification(boolean intact, long checked, Head head, List<Break> breaks, long breakCount,
                               long unsealedOlderThanAMinute, List<UUID> unsealedDecisionIds,
                               Checkpoint lastCheckpoint, Long linksSinceCheckpoint, List<String> sealingChanged,
                               Rulesets rulesets) {
    }

    /** The kept rulesets as verified: rows and stored files read, and every change found in them. */
    public record Rulesets(long versionsChecked, long filesChecked, List<String> problems) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate snapshot;

    AuditChain(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** Links up to {@code limit} committed, unsealed rows to the chain; returns how many (0 when another instance seals). */
    public int seal(int limit) {
        Integer sealed = jdbc.sql("SELECT audit_seal(?)").param(limit).query(Integer.class).single();
        return sealed == null ? 0 : sealed;
    }

    public Optional<Head> head() {
        return jdbc.sql("SELECT position, row_hash FROM audit_chain ORDER BY position DESC LIMIT 1")
                .query((rs, n) -> new Head(rs.getLong(1), HexFormat.of().formatHex(rs.getBytes(2))))
                .optional();
    }

    /** Records that {@code head} was sent to the SIEM; the database refuses a head its chain does not hold. */
    public void checkpointExported(Head head) {
        jdbc.sql("SELECT audit_checkpoint_exported(?, ?)").params(head.position(), HexFormat.of().parseHex(head.hash()))
                .query((rs, n) -> n).list();
    }

    /**
     * Recomputes the whole chain from the rows as they are now, in one read-only snapshot, and reports every break.
     * Each row's canonical form and each link's hash are computed here ({@link CanonicalRow}), never by a function
     * stored in the database: the database is only asked for its rows, in a session whose names resolve in
     * {@code pg_catalog} first. Its sealing functions and triggers are then compared with the migrations'.
     */
    public Verification verify() {
        return snapshot.execute(status -> {
            String schema = jdbc.sql("SELECT pg_catalog.current_schema()").query(String.class).single();
            jdbc.sql("SET LOCAL search_path TO pg_catalog, \"" + schema.replace("\"", "\"\"") + "\", pg_temp").update();
            Optional<Checkpoint> checkpoint = jdbc.sql("""
                            SELECT position, row_hash, exported_at FROM audit_checkpoint
                            ORDER BY position DESC, exported_at DESC LIMIT 1""")
                    .query((rs, n) -> new Checkpoint(rs.getLong(1), HexFormat.of().formatHex(rs.getBytes(2)),
                            rs.getTimestamp(3).toInstant()))
                    .optional();
            ChainWalk walk = new ChainWalk(checkpoint.orElse(null));
            MessageDigest sha256 = sha256();
            template.query(con -> {
                var statement = con.prepareStatement("SELECT c.position, c.decision_id, c.prev_hash, c.row_hash, "
                        + "a.decision_id IS NOT NULL, " + CanonicalRow.select("a") + """

                        FROM audit_chain c LEFT JOIN decision_audit a ON a.decision_id = c.decision_id
                        ORDER BY c.position""");
                statement.setFetchSize(1000);
                return statement;
            }, rs -> {
                byte[] prevHash = rs.getBytes(3);
                byte[] rowHash = rs.getBytes(4);
                boolean present = rs.getBoolean(5);
                boolean matches = false;
                if (present) {
                    sha256.update(prevHash);
                    matches = MessageDigest.isEqual(sha256.digest(CanonicalRow.read(rs, 6)), rowHash);
                }
                walk.link(rs.getLong(1), UUID.fromString(rs.getString(2)), prevHash, rowHash, present, matches);
            });
            walk.end();
            String unsealed = """
                    FROM decision_audit a WHERE a.received_at < now() - interval '1 minute'
                    AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.decision_id = a.decision_id)""";
            long unsealedCount = jdbc.sql("SELECT count(*) " + unsealed).query(Long.class).single();
            List<UUID> unsealedIds = unsealedCount == 0 ? List.of() : jdbc.sql(
                            "SELECT a.decision_id " + unsealed + " ORDER BY a.seq LIMIT " + ChainWalk.MAX_LISTED)
                    .query(UUID.class).list();
            List<String> sealingChanged = SealingCode.differences(jdbc, schema);
            RulesetWalk.Result kept = RulesetWalk.verify(jdbc);
            Head head = walk.head();
            Long since = checkpoint.map(c -> head.position() - c.position()).orElse(null);
            return new Verification(walk.breakCount() == 0 && unsealedCount == 0 && sealingChanged.isEmpty()
                    && kept.problems().isEmpty(),
                    walk.checked(), head, walk.breaks(), walk.breakCount(), unsealedCount, unsealedIds,
                    checkpoint.orElse(null), since, sealingChanged,
                    new Rulesets(kept.versionsChecked(), kept.filesChecked(), kept.problems()));
        });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
