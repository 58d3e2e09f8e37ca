package org.scimgate.siem;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.scimgate.audit.DecisionSummaries;
import org.scimgate.audit.DecisionSummaries.DecisionSummary;
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
 *
 * <p>Its public face is for other modules (the console): what is pending or DEAD, one decision's
 * delivery, and re-driving DEAD records. Claiming and settling rows is the relay's alone.
 */
@Component
public class Outbox {

    private static final String CLAIM = """
            SELECT decision_id, lease_token, attempts, correlation_id
            FROM siem_outbox_claim(:owner, :sink, :limit, :lease, :notBefore)
            """;

    /** The service's connections: reading the outbox and the operator's re-drive. */
    private final JdbcClient jdbc;
    /** The relay's own role (V14): claiming and every change to a claimed record. */
    private final JdbcClient relay;
    private final DecisionSummaries decisions;

    Outbox(JdbcClient jdbc, RelayDatabase relay, DecisionSummaries decisions) {
        this.jdbc = jdbc;
        this.relay = relay.jdbc();
        this.decisions = decisions;
    }

    /**
     * Due rows, leased to {@code owner} under one new token, with the decisions they export (read
     * from the audit once the claim has committed: a decision never changes), oldest decision first;
     * empty when nothing is due.
     */
    Claimed claim(String owner, String sink, int limit, Duration lease, Duration notBefore) {
        UUID[] token = new UUID[1];
        List<ClaimedRow> rows = relay.sql(CLAIM)
                .param("owner", owner)
                .param("sink", sink)
                .param("limit", limit)
                .param("lease", seconds(lease))
                .param("notBefore", seconds(notBefore))
                .query((rs, n) -> {
                    token[0] = rs.getObject(2, UUID.class);
                    return new ClaimedRow(rs.getObject(1, UUID.class), rs.getInt(3), rs.getString(4));
                })
                .list();
        Map<UUID, DecisionSummary> exported = decisions.byId(rows.stream().map(ClaimedRow::decisionId).toList());
        List<OutboxEntry> entries = rows.stream().filter(r -> exported.containsKey(r.decisionId()))
                .map(r -> entry(r, exported.get(r.decisionId())))
                .sorted(Comparator.comparing(OutboxEntry::receivedAt))
                .toList();
        return new Claimed(owner, token[0], entries);
    }

    private record ClaimedRow(UUID decisionId, int attempts, String correlationId) {
    }

    private static OutboxEntry entry(ClaimedRow row, DecisionSummary d) {
        return new OutboxEntry(row.decisionId(), row.attempts(), row.correlationId(), d.receivedAt(), d.eventType(),
                d.eventTimestamp(), d.deliveryId(), d.scimUserId(), d.userName(), d.outcome(), d.violations(),
                d.rulesetVersion(), d.shadowOutcome(), d.shadowRulesetVersion(), d.shadowCodes());
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

    /**
     * Names the sinks this relay delivers to: every new decision gets an entry for each of them, and
     * no longer for a sink not named (its entries stay). Returns the sinks added or made active again.
     */
    List<String> configureSinks(List<String> sinks) {
        return relay.sql("SELECT siem_outbox_sinks_configure(CAST(? AS text[]))")
                .param(sinks.toArray(String[]::new)).query(String.class).list();
    }

    /** Each sink's figures, configured or not, by name. */
    public Map<String, SinkStats> statsBySink() {
        Map<String, SinkStats> bySink = new TreeMap<>();
        jdbc.sql("""
                SELECT s.name, s.active,
                       count(o.sink) FILTER (WHERE o.status = 'PENDING'),
                       count(o.sink) FILTER (WHERE o.status = 'DEAD'),
                       extract(epoch FROM now() - min(o.created_at) FILTER (WHERE o.status = 'PENDING')),
                       (array_agg(o.last_error ORDER BY o.next_attempt_at DESC)
                            FILTER (WHERE o.status IN ('PENDING', 'DEAD') AND o.last_error IS NOT NULL))[1]
                FROM siem_sink s LEFT JOIN siem_outbox o ON o.sink = s.name AND o.status IN ('PENDING', 'DEAD')
                GROUP BY s.name, s.active
                """).query((rs, n) -> bySink.put(rs.getString(1), new SinkStats(rs.getString(1), rs.getBoolean(2),
                rs.getLong(3), rs.getLong(4),
                rs.getObject(5) == null ? Duration.ZERO : Duration.ofMillis((long) (rs.getDouble(5) * 1000)),
                rs.getString(6)))).list();
        return bySink;
    }

    public OutboxStats stats() {
        return jdbc.sql("""
                SELECT count(*) FILTER (WHERE status = 'PENDING'),
                       count(*) FILTER (WHERE status = 'DEAD'),
                       extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'PENDING'))
                FROM siem_outbox
                """).query((rs, n) -> new OutboxStats(rs.getLong(1), rs.getLong(2),
                rs.getObject(3) == null ? Duration.ZERO : Duration.ofMillis((long) (rs.getDouble(3) * 1000))))
                .single();
    }

    /** How many entries have one status, every sink's together; PENDING and DEAD are counted from their partial indexes. */
    public long count(String status) {
        return count(status, null);
    }

    /** How many entries of one sink (every sink's when null) have one status. */
    public long count(String status, String sink) {
        return jdbc.sql("SELECT count(*) FROM siem_outbox WHERE status = ? AND (CAST(? AS text) IS NULL OR sink = ?)")
                .params(status, sink, sink).query(Long.class).single();
    }

    /** Up to {@code limit} entries of one status, every sink's, oldest first. */
    public List<OutboxRow> list(String status, int limit) {
        return list(status, null, limit);
    }

    /** Up to {@code limit} entries of one status and sink (every sink's when null), oldest first. */
    public List<OutboxRow> list(String status, String sink, int limit) {
        return jdbc.sql("""
                SELECT decision_id, status, attempts, created_at, next_attempt_at, last_error, delivered_at, correlation_id,
                       sink
                FROM siem_outbox WHERE status = :status AND (CAST(:sink AS text) IS NULL OR sink = :sink)
                ORDER BY created_at LIMIT :limit
                """).param("status", status).param("sink", sink).param("limit", limit)
                .query((rs, n) -> new OutboxRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6),
                        rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(), rs.getString(8),
                        rs.getString(9)))
                .list();
    }

    /** Sends a DEAD entry again from scratch, for every sink it is DEAD for; false when there is none. */
    public boolean redrive(UUID id) {
        return redrive(id, null);
    }

    /** Sends one sink's DEAD entry (every sink's when null) again from scratch; false when there is none. */
    public boolean redrive(UUID id, String sink) {
        return Boolean.TRUE.equals(jdbc.sql("SELECT siem_outbox_redrive(?, ?)").params(id, sink)
                .query(Boolean.class).single());
    }

    public int redriveAllDead() {
        return redriveAllDead(null);
    }

    /** Re-drives every DEAD entry of one sink (of every sink when null). */
    public int redriveAllDead(String sink) {
        return jdbc.sql("SELECT siem_outbox_redrive_dead(?)").param(sink).query(Integer.class).single();
    }

    /**
     * Where one decision's export to the SIEM stands; empty when it has no outbox entry. With several
     * sinks, the entry furthest from delivered: DEAD before PENDING before DELIVERED.
     */
    public Optional<Delivery> delivery(UUID decisionId) {
        return deliveries(decisionId).stream().findFirst();
    }

    /** One decision's delivery to each sink, furthest from delivered first. */
    public List<Delivery> deliveries(UUID decisionId) {
        return jdbc.sql("""
                SELECT status, attempts, last_error, delivered_at, sink FROM siem_outbox WHERE decision_id = ?
                ORDER BY CASE status WHEN 'DEAD' THEN 0 WHEN 'PENDING' THEN 1 ELSE 2 END, sink
                """).param(decisionId).query((rs, n) -> new Delivery(rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(), rs.getString(5)))
                .list();
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

    public record OutboxStats(long pending, long dead, Duration oldestPendingAge) {
    }

    /** One sink's figures; {@code active} is false for a sink no relay is configured with any more. */
    public record SinkStats(String sink, boolean active, long pending, long dead, Duration oldestPendingAge,
                            String lastError) {

        static SinkStats none(String sink) {
            return new SinkStats(sink, true, 0, 0, Duration.ZERO, null);
        }
    }

    public record OutboxRow(UUID decisionId, String status, int attempts, Instant createdAt, Instant nextAttemptAt,
                     String lastError, Instant deliveredAt, String correlationId, String sink) {
    }

    public record Delivery(String status, int attempts, String lastError, Instant deliveredAt, String sink) {
    }
}
