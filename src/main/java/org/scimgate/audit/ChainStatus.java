package org.scimgate.audit;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where the hash chain stands, each read by a primary key or a small table: its head, the last
 * head exported to the SIEM, how many decisions wait to be sealed, and where one decision sits.
 * Nothing here verifies the chain (that walks every link: {@link AuditChain#verify()}).
 */
@Component
public class ChainStatus {

    /** A position of the chain, its hash in hex, and when it was sealed or exported. */
    public record Mark(long position, String hash, Instant at) {
    }

    private final JdbcClient jdbc;

    ChainStatus(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The newest link and when it was sealed; empty before the first seal. */
    public Optional<Mark> head() {
        return mark("SELECT position, encode(row_hash, 'hex'), sealed_at FROM audit_chain ORDER BY position DESC LIMIT 1");
    }

    /** The last head exported to the SIEM and when; empty when none was. */
    public Optional<Mark> lastCheckpoint() {
        return mark("SELECT position, encode(row_hash, 'hex'), exported_at FROM audit_checkpoint"
                + " ORDER BY position DESC LIMIT 1");
    }

    /** Decisions recorded and not sealed yet. */
    public long unsealed() {
        return jdbc.sql("SELECT count(*) FROM audit_unsealed").query(Long.class).single();
    }

    /** The chain position that seals a decision; empty while it is not sealed (or there is no such decision). */
    public Optional<Long> position(UUID decisionId) {
        return jdbc.sql("SELECT position FROM audit_chain WHERE decision_id = ?").param(decisionId)
                .query(Long.class).optional();
    }

    private Optional<Mark> mark(String sql) {
        return jdbc.sql(sql).query((rs, n) -> new Mark(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                .optional();
    }
}
