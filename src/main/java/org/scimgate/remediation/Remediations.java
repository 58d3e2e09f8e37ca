package org.scimgate.remediation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The remediation actions as other modules see them: what one decision's action is, the actions of
 * one status, and the operator's release (a HELD action past the hourly cap), retry (a FAILED or
 * DEAD one) and cancel. Each change is one database function that moves a resting row only: an
 * action whose call is in flight cannot be cancelled under the relay.
 */
@Component
public class Remediations {

    static final String COLUMNS = """
            id, decision_id, action, target_id, user_name, codes::text, status, attempts, last_status, last_answer,
            created_at, updated_at, next_attempt_at, settled_at, released_at""";

    private final JdbcClient jdbc;

    Remediations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The actions about one decision (none, or one per kind of action). */
    public List<RemediationAction> forDecision(UUID decisionId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM remediation_action WHERE decision_id = ? ORDER BY created_at")
                .param(decisionId).query(Remediations::action).list();
    }

    /** Up to {@code limit} actions, newest first; all statuses where {@code status} is null. */
    public List<RemediationAction> list(String status, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM remediation_action WHERE (CAST(:status AS text) IS NULL OR status = :status) "
                        + "ORDER BY created_at DESC LIMIT :limit")
                .param("status", status).param("limit", limit).query(Remediations::action).list();
    }

    public boolean release(UUID id) {
        return call("SELECT remediation_release(?)", id);
    }

    public boolean retry(UUID id) {
        return call("SELECT remediation_retry(?)", id);
    }

    public boolean cancel(UUID id, String who) {
        return Boolean.TRUE.equals(jdbc.sql("SELECT remediation_cancel(?, ?)").params(id, "cancelled by the " + who + " role")
                .query(Boolean.class).single());
    }

    /** How many actions have each status, and how many started in the last hour (the cap's count). */
    public Figures figures() {
        return jdbc.sql("""
                SELECT count(*) FILTER (WHERE status = 'PENDING'), count(*) FILTER (WHERE status = 'HELD'),
                       count(*) FILTER (WHERE status = 'FAILED'), count(*) FILTER (WHERE status = 'DEAD'),
                       (SELECT count(*) FROM remediation_action
                        WHERE started_at > now() - interval '1 hour' AND released_at IS NULL)
                FROM remediation_action WHERE status IN ('PENDING', 'HELD', 'FAILED', 'DEAD')
                """).query((rs, n) -> new Figures(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                rs.getLong(5))).single();
    }

    /** The open and troubled actions, and the cap's count over the last hour. */
    public record Figures(long pending, long held, long failed, long dead, long startedLastHour) {

        static final Figures NONE = new Figures(0, 0, 0, 0, 0);
    }

    private boolean call(String sql, UUID id) {
        return Boolean.TRUE.equals(jdbc.sql(sql).param(id).query(Boolean.class).single());
    }

    static RemediationAction action(ResultSet rs, int row) throws SQLException {
        return new RemediationAction(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                (Integer) rs.getObject(9), rs.getString(10), instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)),
                instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)), instant(rs.getTimestamp(15)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
