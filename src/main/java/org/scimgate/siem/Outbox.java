package org.scimgate.siem;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The SIEM outbox. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease (owner and
 * expiry) that commits at once: instances never claim the same row while a lease runs, and the
 * rows of an instance that died come back when its lease expires. Delivery state lives here only;
 * {@code decision_audit} is never touched.
 */
@Component
class Outbox {

    private static final String CLAIM = """
            WITH due AS (
                SELECT decision_id FROM siem_outbox
                WHERE status = 'PENDING' AND next_attempt_at <= now()
                  AND (locked_until IS NULL OR locked_until < now())
                  AND created_at <= now() - make_interval(secs => :notBefore)
                ORDER BY next_attempt_at, created_at
                LIMIT :limit
                FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE siem_outbox o SET locked_by = :owner, locked_until = now() + make_interval(secs => :lease)
                FROM due WHERE o.decision_id = due.decision_id
                RETURNING o.decision_id, o.attempts, o.correlation_id)
            SELECT c.decision_id, c.attempts, c.correlation_id, a.received_at, a.event_type, a.event_timestamp,
                   a.delivery_id, a.scim_user_id, a.user_name, a.outcome, a.violations::text, a.ruleset_version
            FROM claimed c JOIN decision_audit a USING (decision_id)
            ORDER BY a.received_at
            """;

    private final JdbcClient jdbc;

    Outbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<OutboxEntry> claim(String owner, int limit, Duration lease, Duration notBefore) {
        return jdbc.sql(CLAIM)
                .param("owner", owner)
                .param("limit", limit)
                .param("lease", lease.toMillis() / 1000.0)
                .param("notBefore", notBefore.toMillis() / 1000.0)
                .query((rs, n) -> new OutboxEntry(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12)))
                .list();
    }

    void delivered(Map<UUID, String> correlations, String owner) {
        if (correlations.isEmpty()) {
            return;
        }
        String[] ids = correlations.keySet().stream().map(UUID::toString).toArray(String[]::new);
        String[] values = correlations.values().toArray(String[]::new);
        jdbc.sql("""
                UPDATE siem_outbox o SET status = 'DELIVERED', delivered_at = now(), delivered_by = ?, locked_by = NULL,
                       locked_until = NULL, last_error = NULL, correlation_id = d.correlation_id
                FROM unnest(CAST(? AS uuid[]), CAST(? AS text[])) AS d(decision_id, correlation_id)
                WHERE o.decision_id = d.decision_id AND o.status = 'PENDING'
                """).params(owner, ids, values).update();
    }

    /** Counts a failed attempt for each row: back off exponentially with jitter, or DEAD after the limit. */
    void failed(Collection<UUID> ids, String error, int maxAttempts, Duration backoff, Duration maxBackoff) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE siem_outbox SET attempts = attempts + 1,
                       status = CASE WHEN attempts + 1 >= ? THEN 'DEAD' ELSE 'PENDING' END,
                       next_attempt_at = now() + make_interval(secs =>
                           least(?, ? * power(2, attempts)) * (0.5 + random() / 2)),
                       last_error = left(?, 2000), locked_by = NULL, locked_until = NULL
                WHERE decision_id = ANY(CAST(? AS uuid[])) AND status = 'PENDING'
                """).params(maxAttempts, (double) maxBackoff.toSeconds(), backoff.toMillis() / 1000.0, error,
                ids.stream().map(UUID::toString).toArray(String[]::new)).update();
    }

    /** Puts a row back without counting an attempt: it is waiting for Genesys, not failing. */
    void defer(UUID id, Instant until, String reason) {
        jdbc.sql("""
                UPDATE siem_outbox SET next_attempt_at = :until, locked_by = NULL, locked_until = NULL, last_error = :reason
                WHERE decision_id = :id AND status = 'PENDING'
                """).param("until", java.sql.Timestamp.from(until)).param("reason", reason).param("id", id).update();
    }

    /** Gives up this instance's leases, so another instance can take the rows at once. */
    int release(String owner) {
        return jdbc.sql("UPDATE siem_outbox SET locked_by = NULL, locked_until = NULL WHERE locked_by = ? AND status = 'PENDING'")
                .param(owner).update();
    }

    OutboxStats stats() {
        return jdbc.sql("""
                SELECT count(*) FILTER (WHERE status = 'PENDING'),
                       count(*) FILTER (WHERE status = 'DEAD'),
                       extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'PENDING'))
                FROM siem_outbox
                """).query((rs, n) -> new OutboxStats(rs.getLong(1), rs.getLong(2),
                rs.getObject(3) == null ? Duration.ZERO : Duration.ofMillis((long) (rs.getDouble(3) * 1000))))
                .single();
    }

    List<OutboxRow> list(String status, int limit) {
        return jdbc.sql("""
                SELECT decision_id, status, attempts, created_at, next_attempt_at, last_error, delivered_at, correlation_id
                FROM siem_outbox WHERE status = :status ORDER BY created_at LIMIT :limit
                """).param("status", status).param("limit", limit)
                .query((rs, n) -> new OutboxRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6),
                        rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(), rs.getString(8)))
                .list();
    }

    /** Sends a DEAD row again from scratch; false when there is no such DEAD row. */
    boolean redrive(UUID id) {
        return jdbc.sql("""
                UPDATE siem_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = now(), locked_by = NULL,
                       locked_until = NULL WHERE decision_id = ? AND status = 'DEAD'
                """).param(id).update() == 1;
    }

    int redriveAllDead() {
        return jdbc.sql("""
                UPDATE siem_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = now(), locked_by = NULL,
                       locked_until = NULL WHERE status = 'DEAD'
                """).update();
    }

    record OutboxStats(long pending, long dead, Duration oldestPendingAge) {
    }

    record OutboxRow(UUID decisionId, String status, int attempts, Instant createdAt, Instant nextAttemptAt,
                     String lastError, Instant deliveredAt, String correlationId) {
    }
}
