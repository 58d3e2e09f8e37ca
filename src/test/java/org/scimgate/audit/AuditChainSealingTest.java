package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** Sealing and verifying on a real PostgreSQL, each test on a database of its own. */
class AuditChainSealingTest {

    private final ChainDatabase db = ChainDatabase.create();
    private final JdbcTemplate owner = db.ownerSql();
    private final AuditChain chain = ChainDatabase.chain(db.owner());

    @Test
    void sealsARowThatCommitsLongAfterRowsFarAheadOfItWereSealed() throws Exception {
        ChainDatabase.insertDecision(owner, "first@acme.com");
        assertThat(chain.seal(1000)).isOne();
        try (Connection late = db.owner().getConnection()) {
            late.setAutoCommit(false);
            UUID lateId = ChainDatabase.insertDecision(new JdbcTemplate(new SingleConnectionDataSource(late, true)),
                    "late\uD835\uDC9C@acme.com");
            // Other transactions take sequence values far ahead, commit, and are sealed meanwhile.
            owner.queryForObject("SELECT setval(pg_get_serial_sequence('decision_audit', 'seq'), "
                    + "(SELECT max(seq) FROM decision_audit) + 250000)", Long.class);
            for (int i = 0; i < 3; i++) {
                ChainDatabase.insertDecision(owner, "ahead" + i + "@acme.com");
            }
            assertThat(chain.seal(1000)).as("the open transaction's row is not visible yet").isEqualTo(3);
            late.commit();

            assertThat(chain.seal(1000)).isOne();
            long lateSeq = owner.queryForObject("SELECT seq FROM decision_audit WHERE decision_id = ?", Long.class, lateId);
            long newest = owner.queryForObject("SELECT max(audit_seq) FROM audit_chain", Long.class);
            assertThat(newest - lateSeq).isGreaterThan(100_000);
            assertThat(owner.queryForObject("SELECT position FROM audit_chain WHERE decision_id = ?", Long.class, lateId))
                    .isEqualTo(5);
        }
        AuditChain.Verification verification = chain.verify();
        assertThat(verification.intact()).isTrue();
        assertThat(verification.checked()).isEqualTo(5);
        assertThat(verification.breaks()).isEmpty();
        assertThat(owner.queryForObject("SELECT count(*) FROM audit_unsealed", Long.class)).isZero();
    }

    @Test
    void reportsEveryChangedRowNotOnlyTheFirst() {
        UUID[] ids = new UUID[6];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ChainDatabase.insertDecision(owner, "user" + i + "@acme.com");
        }
        assertThat(chain.seal(1000)).isEqualTo(6);
        owner.execute("ALTER TABLE decision_audit DISABLE TRIGGER USER");
        owner.update("UPDATE decision_audit SET outcome = 'REJECTED' WHERE decision_id = ?", ids[1]);
        owner.update("UPDATE decision_audit SET user_name = 'someone-else@acme.com' WHERE decision_id = ?", ids[4]);
        owner.execute("ALTER TABLE decision_audit ENABLE TRIGGER USER");

        AuditChain.Verification verification = chain.verify();
        assertThat(verification.intact()).isFalse();
        assertThat(verification.checked()).isEqualTo(6);
        assertThat(verification.breakCount()).isEqualTo(2);
        assertThat(verification.breaks()).containsExactly(
                new AuditChain.Break(2, ids[1], "the decision was changed after it was sealed"),
                new AuditChain.Break(5, ids[4], "the decision was changed after it was sealed"));
    }

    @Test
    void reportsABodyHashChangedAfterSealingSoNoDeliveryIdCanBeRebound() {
        UUID id = ChainDatabase.insertDecision(owner, "bound@acme.com");
        assertThat(chain.seal(1000)).isOne();
        owner.execute("ALTER TABLE decision_audit DISABLE TRIGGER USER");
        owner.update("UPDATE decision_audit SET body_sha256 = repeat('0', 64) WHERE decision_id = ?", id);
        owner.execute("ALTER TABLE decision_audit ENABLE TRIGGER USER");

        AuditChain.Verification verification = chain.verify();
        assertThat(verification.intact()).isFalse();
        assertThat(verification.breaks()).extracting(AuditChain.Break::decisionId).contains(id);
    }

    @Test
    void sealsTheShadowVerdictSoNoOneCanRewriteWhatTheTrialWouldHaveDecided() {
        UUID plain = ChainDatabase.insertDecision(owner, "plain@acme.com");
        UUID shadowed = ChainDatabase.insertDecision(owner, "shadowed@acme.com");
        owner.execute("ALTER TABLE decision_audit DISABLE TRIGGER USER");
        owner.update("UPDATE decision_audit SET shadow_outcome = 'REJECTED', shadow_ruleset_version = 'v-shadow', "
                + "shadow_codes = '[\"TRIAL\"]' WHERE decision_id = ?", shadowed);
        owner.execute("ALTER TABLE decision_audit ENABLE TRIGGER USER");
        assertThat(chain.seal(10)).isEqualTo(2);
        assertThat(chain.verify().intact()).isTrue();
        String canonical = owner.queryForObject("SELECT convert_from(audit_canonical(a), 'UTF8') FROM decision_audit a "
                + "WHERE decision_id = ?", String.class, shadowed);
        assertThat(canonical).endsWith("22=8:REJECTED;23=8:v-shadow;24=9:[\"TRIAL\"];");
        assertThat(owner.queryForObject("SELECT convert_from(audit_canonical(a), 'UTF8') FROM decision_audit a "
                + "WHERE decision_id = ?", String.class, plain)).doesNotContain("22=");

        owner.execute("ALTER TABLE decision_audit DISABLE TRIGGER USER");
        owner.update("UPDATE decision_audit SET shadow_outcome = 'ACCEPTED' WHERE decision_id = ?", shadowed);
        owner.update("UPDATE decision_audit SET shadow_outcome = 'ACCEPTED' WHERE decision_id = ?", plain);
        owner.execute("ALTER TABLE decision_audit ENABLE TRIGGER USER");
        AuditChain.Verification verification = chain.verify();
        assertThat(verification.intact()).isFalse();
        assertThat(verification.breaks()).extracting(AuditChain.Break::decisionId).contains(shadowed, plain);
    }

    @Test
    void reportsATailRemovedAfterItsHeadWasExportedAndTheDistanceFromThatHead() {
        for (int i = 0; i < 5; i++) {
            ChainDatabase.insertDecision(owner, "tail" + i + "@acme.com");
        }
        chain.seal(1000);
        chain.checkpointExported(chain.head().orElseThrow());
        ChainDatabase.insertDecision(owner, "after@acme.com");
        chain.seal(1000);
        AuditChain.Verification moved = chain.verify();
        assertThat(moved.intact()).isTrue();
        assertThat(moved.lastCheckpoint().position()).isEqualTo(5);
        assertThat(moved.linksSinceCheckpoint()).isOne();

        owner.execute("ALTER TABLE audit_chain DISABLE TRIGGER USER");
        owner.update("DELETE FROM audit_chain WHERE position >= 4");
        owner.execute("ALTER TABLE audit_chain ENABLE TRIGGER USER");

        AuditChain.Verification truncated = chain.verify();
        assertThat(truncated.intact()).isFalse();
        assertThat(truncated.head().position()).isEqualTo(3);
        assertThat(truncated.breaks()).singleElement().satisfies(b -> {
            assertThat(b.position()).isEqualTo(5);
            assertThat(b.problem()).startsWith("the chain ends at position 3 but the head at position 5 was exported")
                    .endsWith("links were removed from its tail");
        });
        assertThat(truncated.linksSinceCheckpoint()).isEqualTo(-2);
    }

    @Test
    void reportsADecisionOlderThanAMinuteThatNoLinkSealsEvenWhenItsQueueEntryWasRemoved() {
        ChainDatabase.insertDecision(owner, "sealed@acme.com");
        chain.seal(10);
        UUID stale = ChainDatabase.insertDecision(owner, "stale@acme.com");
        owner.execute("ALTER TABLE decision_audit DISABLE TRIGGER USER");
        owner.update("UPDATE decision_audit SET received_at = now() - interval '2 minutes' WHERE decision_id = ?", stale);
        owner.execute("ALTER TABLE decision_audit ENABLE TRIGGER USER");
        owner.update("DELETE FROM audit_unsealed WHERE decision_id = ?", stale);
        assertThat(chain.seal(10)).isZero();

        AuditChain.Verification verification = chain.verify();
        assertThat(verification.breaks()).isEmpty();
        assertThat(verification.intact()).isFalse();
        assertThat(verification.unsealedOlderThanAMinute()).isOne();
        assertThat(verification.unsealedDecisionIds()).containsExactly(stale);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertThat(AuditCommand.verify(chain, new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err))).isOne();
        assertThat(err.toString()).contains("UNSEALED: 1 decisions older than a minute are in no link")
                .contains(stale.toString()).contains("Audit chain INCOMPLETE: 0 breaks, 1 unsealed");
    }

    @Test
    void refusesToRecordAnExportedHeadTheChainDoesNotHold() {
        ChainDatabase.insertDecision(owner, "head@acme.com");
        chain.seal(10);
        assertThatThrownBy(() -> chain.checkpointExported(new AuditChain.Head(1, "00".repeat(32))))
                .hasMessageContaining("audit_chain holds no link 1 with that hash");
    }

    /**
     * The queue trigger's function runs as the schema owner. Were it executable by PUBLIC, any role
     * with TEMP on the database could hang it on a temporary table of its own and fill the seal queue
     * with whatever it likes: taking the seqs decisions will get makes every later decision fail.
     */
    @Test
    void noRoleCanBorrowTheQueueTriggerToFillTheSealQueue() throws Exception {
        try (Connection app = java.sql.DriverManager.getConnection(db.database().url(), db.appRole(), "app");
             var sql = app.createStatement()) {
            sql.execute("CREATE TEMP TABLE borrowed (seq bigint, decision_id uuid)");
            try {
                sql.execute("CREATE TRIGGER borrowed_enqueue AFTER INSERT ON borrowed REFERENCING NEW TABLE AS inserted "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION audit_enqueue_unsealed()");
                sql.execute("INSERT INTO borrowed SELECT g, gen_random_uuid() FROM generate_series(1, 1000) g");
            } catch (java.sql.SQLException refused) {
                assertThat(refused.getMessage()).contains("permission denied for function audit_enqueue_unsealed");
            }
        }
        UUID id = ChainDatabase.insertDecision(new JdbcTemplate(db.app()), "after@acme.com");
        assertThat(chain.seal(100)).isOne();
        assertThat(owner.queryForObject("SELECT count(*) FROM audit_chain WHERE decision_id = ?", Long.class, id)).isOne();
    }

    @Test
    void theApplicationRoleSealsThroughTheFunctionButCannotWriteLinks() {
        JdbcTemplate app = new JdbcTemplate(db.app());
        AuditChain appChain = ChainDatabase.chain(db.app());
        UUID id = ChainDatabase.insertDecision(app, "app@acme.com");
        assertThatThrownBy(() -> app.update("INSERT INTO audit_chain (position, decision_id, audit_seq, prev_hash, row_hash) "
                + "VALUES (1, ?, 1, '\\x00', '\\x00')", id)).rootCause().hasMessageContaining("permission denied for table audit_chain");
        assertThatThrownBy(() -> app.update("DELETE FROM audit_unsealed")).rootCause()
                .hasMessageContaining("permission denied for table audit_unsealed");
        assertThatThrownBy(() -> app.update("INSERT INTO audit_checkpoint (position, row_hash) VALUES (1, '\\x00')"))
                .rootCause().hasMessageContaining("permission denied for table audit_checkpoint");

        assertThat(appChain.seal(100)).isOne();
        appChain.checkpointExported(appChain.head().orElseThrow());
        AuditChain.Verification verification = appChain.verify();
        assertThat(verification.intact()).isTrue();
        assertThat(verification.lastCheckpoint().position()).isOne();
    }

    @Test
    void continuesAChainSealedByTheFirstVersionAndVerifiesItsLinks() throws Exception {
        ChainDatabase.insertDecision(owner, "before@acme.com");
        chain.seal(10);
        AuditChain.Head head = chain.head().orElseThrow();
        // A link as the first version wrote it: hashed in Java over the row read back, UTF-16 lengths.
        UUID old = ChainDatabase.insertDecision(owner, "\uD83D\uDE00 ünïcode\u00A0name@acme.com");
        byte[] previous = HexFormat.of().parseHex(head.hash());
        byte[] canonical = owner.queryForObject("SELECT " + FirstVersionCanonicalRow.COLUMNS
                + " FROM decision_audit a WHERE a.decision_id = ?", (rs, n) -> FirstVersionCanonicalRow.read(rs, 1), old);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(previous);
        byte[] hash = sha.digest(canonical);
        owner.update("INSERT INTO audit_chain (position, decision_id, audit_seq, prev_hash, row_hash) "
                + "SELECT 2, decision_id, seq, ?, ? FROM decision_audit WHERE decision_id = ?", previous, hash, old);

        assertThat(chain.seal(10)).as("the row the first version sealed only leaves the queue").isZero();
        ChainDatabase.insertDecision(owner, "after@acme.com");
        assertThat(chain.seal(10)).isOne();
        AuditChain.Verification verification = chain.verify();
        assertThat(verification.breaks()).isEmpty();
        assertThat(verification.intact()).isTrue();
        assertThat(verification.head().position()).isEqualTo(3);
        assertThat(new String(canonical, StandardCharsets.UTF_8)).contains("19=6:create;");
    }
}
