package org.scimgate.siem;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.scimgate.database.RelayDatabase;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The SIEM outbox. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease (owner, expiry
 * and a token of the claim) that commits at once: instances never claim the same row while a lease
 * runs, and the rows of an instance that died come back when its lease expires. Every change to a
 * claimed row goes through a database function (migration V8) that names the owner and the token,
 * so a relay whose lease was taken over changes nothing. Those functions are called as the relay's
 * own role ({@link RelayDatabase}), which the request path's role is not. Delivery state lives here only;
 * {@code decision_audit} is never touched.
 */
@Component
class Outbox {

    private static final String CLAIM = """
            SELECT c.decision_id, c.lease_token, c.attempts, c.correlation_id, a.received_at, a.event_type,
                   a.event_timestamp, a.delivery_id, a.scim_user_id, a.user_name, a.outcome, a.violations::text,
                   a.ruleset_version, a.shadow_outcome, a.shadow_ruleset_version, a.shadow_codes::text
            FROM siem_outbox_claim(:owner, :limit, :lease, :notBefore) c JOIN decision_audit a USING (decision_id)
            ORDER BY a.received_at
            """;

    /** The service's connections: reading the outbox and the operator's re-drive. */
    private final JdbcClient jdbc;
    /** The relay's own role (V14): claiming and every change to a claimed record. */
    private final JdbcClient relay;

    Outbox(JdbcClient jdbc, RelayDatabase relay) {
        this.jdbc = jdbc;
        this.relay = relay.jdbc();
    }

    /** Due rows, leased to {@code owner} under one new token; empty when nothing is due. */
    Claimed claim(String owner, int limit, Duration lease, Duration notBefore) {
        UUID[] token = new UUID[1];
        List<OutboxEntry> entries = relay.sql(CLAIM)
                .param("owner", owner)
                .param("limit", limit)
                .param("lease", seconds(lease))
                .param("notBefore", seconds(notBefore))
                .query((rs, n) -> {
                    token[0] = rs.getObject(2, UUID.class);
                    return new OutboxEntry(rs.getObject(1, UUID.class), rs.getInt(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                            rs.getString(14), rs.getString(15), rs.getString(16));
                })
                .list();
        return new Claimed(owner, token[0], entries);
    }

    /** Extends the lease of those of {@code ids} this claim still holds, and returns them. */
    Set<UUID> renew(String owner, UUID token, Collection<UUID> ids, Duration lease) {
        return new HashSet<>(relay.sql("SELECT siem_outbox_renew(?, ?, CAST(? AS uuid[]), ?)")
                .params(owner, token, array(ids), seconds(lease)).query(UUID.class).list());
    }

    /** Stores what Genesys answered, at once; false when the claim no longer holds the row. */
    boolean correlated(String owner, UUID token, UUID id, String correlation) {
        return Boolean.TRUE.equals(relay.sql("SELECT siem_outbox_correlate(?, ?, ?, ?)")
                .params(owner, token, id, correlation).query(Boolean.class).single());
    }

    /** Marks the rows delivered; returns how many this claim still held. */
    int delivered(String owner, UUID token, Map<UUID, String> correlations) {
        if (correlations.isEmpty()) {
            return 0;
        }
        return relay.sql("SELECT siem_outbox_deliver(?, ?, CAST(? AS uuid[]), CAST(? AS text[]))")
                .params(owner, token, array(correlations.keySet()), correlations.values().toArray(String[]::new))
                .query(Integer.class).single();
    }

    /** Counts a failed attempt for each row: back off exponentially with jitter, or DEAD after the limit. */
    int failed(String owner, UUID token, Collection<UUID> ids, String error, int maxAttempts, Duration backoff,
               Duration maxBackoff) {
        if (ids.isEmpty()) {
            return 0;
        }
        return relay.sql("SELECT siem_outbox_fail(?, ?, CAST(? AS uuid[]), ?, ?, ?, ?)")
                .params(owner, token, array(ids), error, maxAttempts, seconds(backoff), seconds(maxBackoff))
                .query(Integer.class).single();
    }

    /** The SIEM refused these records themselves: DEAD at once, with its answer as the last error. */
    int refused(String owner, UUID token, Collection<UUID> ids, String answer) {
        return relay.sql("SELECT siem_outbox_refuse(?, ?, CAST(? AS uuid[]), ?)")
                .params(owner, token, array(ids), answer).query(Integer.class).single();
    }

    /** Puts rows back without counting an attempt: they are waiting, not failing. */
    int defer(String owner, UUID token, Collection<UUID> ids, Instant until, String reason) {
        if (ids.isEmpty()) {
            return 0;
        }
        return relay.sql("SELECT siem_outbox_defer(?, ?, CAST(? AS uuid[]), ?, ?)")
                .params(owner, token, array(ids), Timestamp.from(until), reason).query(Integer.class).single();
    }

    /** Gives up this instance's leases, so another instance can take the rows at once. */
    int release(String owner) {
        return relay.sql("SELECT siem_outbox_release(?)").param(owner).query(Integer.class).single();
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
        return Boolean.TRUE.equals(jdbc.sql("SELECT siem_outbox_redrive(?)").param(id).query(Boolean.class).single());
    }

    int redriveAllDead() {
        return jdbc.sql("SELECT siem_outbox_redrive_dead()").query(Integer.class).single();
    }

    private static String[] array(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** One claim: the rows it holds, all under the same lease token (null when nothing was due). */
    record Claimed(String owner, UUID token, List<OutboxEntry> entries) {
    }

    record OutboxStats(long pending, long dead, Duration oldestPendingAge) {
    }

    record OutboxRow(UUID decisionId, String status, int attempts, Instant createdAt, Instant nextAttemptAt,
                     String lastError, Instant deliveredAt, String correlationId) {
    }
}
