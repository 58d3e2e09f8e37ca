package org.scimgate.remediation;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The relay's side of the action rows: claiming due actions under a lease (and holding those past
 * the hourly cap), and settling each one only while this claim still holds it (R__remediation.sql).
 */
@Component
class ActionQueue {

    /** A claimed action: what to do to whom, under which lease token. */
    record Claimed(UUID id, UUID decisionId, String action, String targetId, UUID token, int attempts) {
    }

    /** An outcome the SIEM has not accepted yet: the action as it stands, and the outcome's number. */
    record Unexported(RemediationAction action, int seq) {
    }

    private final JdbcClient jdbc;

    ActionQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Claimed> claim(String owner, int limit, Duration lease, boolean acting, int cap) {
        return jdbc.sql("SELECT id, decision_id, action, target_id, lease_token, attempts "
                        + "FROM remediation_claim(?, ?, ?, ?, ?)")
                .params(owner, limit, seconds(lease), acting, cap)
                .query((rs, n) -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getObject(5, UUID.class), rs.getInt(6)))
                .list();
    }

    /** Extends the lease right before a call; false when this claim lost the action. */
    boolean renew(String owner, Claimed action, Duration lease) {
        return bool(jdbc.sql("SELECT remediation_renew(?, ?, ?, ?)")
                .params(owner, action.token(), action.id(), seconds(lease)));
    }

    boolean settle(String owner, Claimed action, String status, boolean called, Integer http, String answer) {
        return bool(jdbc.sql("SELECT remediation_settle(?, ?, ?, ?, ?, ?, ?)")
                .params(owner, action.token(), action.id(), status, called, http, answer));
    }

    /** Not done this time; returns the new status (PENDING, or DEAD after the last attempt), null if lost. */
    String retryLater(String owner, Claimed action, boolean counts, Integer http, String answer, RemediationSettings s,
                      Duration notBefore) {
        return jdbc.sql("SELECT remediation_retry_later(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(owner, action.token(), action.id(), counts, http, answer, s.maxAttempts(), seconds(s.backoff()),
                        seconds(s.maxBackoff()), notBefore == null ? null : seconds(notBefore))
                .query(String.class).optional().orElse(null);
    }

    int releaseLeases(String owner) {
        return jdbc.sql("SELECT remediation_release_leases(?)").param(owner).query(Integer.class).single();
    }

    List<Unexported> unexported(int limit) {
        return jdbc.sql("SELECT " + Remediations.COLUMNS + ", outcome_seq FROM remediation_action "
                        + "WHERE outcome_seq > exported_seq ORDER BY updated_at LIMIT ?")
                .param(limit)
                .query((rs, n) -> new Unexported(Remediations.action(rs, n), rs.getInt(16)))
                .list();
    }

    void exported(UUID id, int seq) {
        jdbc.sql("SELECT remediation_exported(?, ?)").params(id, seq).query(Boolean.class).single();
    }

    private static boolean bool(JdbcClient.StatementSpec statement) {
        return Boolean.TRUE.equals(statement.query(Boolean.class).single());
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
