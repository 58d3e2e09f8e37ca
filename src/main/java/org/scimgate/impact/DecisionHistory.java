package org.scimgate.impact;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.function.Consumer;

/**
 * Reads the judged decisions of a window from {@code decision_audit} over a server-side cursor
 * (a read-only transaction and a fetch size), so a history of any length is replayed in a
 * bounded amount of memory.
 */
final class DecisionHistory {

    /** Outcomes that are a verdict of the rules; MALFORMED, IGNORED, UNAUTHENTICATED and the like are not. */
    static final String JUDGED = "('ACCEPTED', 'ACCEPTED_WITH_WARNINGS', 'REJECTED')";
    private static final int FETCH_SIZE = 2_000;

    private final Connection connection;

    DecisionHistory(Connection connection) {
        this.connection = connection;
    }

    /** Every judged webhook and gateway decision received in the window, in no particular order. */
    void forEach(ReplayWindow window, Consumer<PastDecision> action) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT decision_id, received_at, source, user_name, outcome,
                       array_to_string(ARRAY(SELECT DISTINCT v ->> 'code' FROM jsonb_array_elements(violations) v), ','),
                       (CASE WHEN source = 'webhook' THEN payload -> 'data' ELSE payload END)::text
                FROM decision_audit
                WHERE received_at >= ? AND received_at < ? AND source IN ('webhook', 'gateway')
                  AND outcome IN """ + JUDGED)) {
            query.setFetchSize(FETCH_SIZE);
            query.setTimestamp(1, Timestamp.from(window.from()));
            query.setTimestamp(2, Timestamp.from(window.to()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    action.accept(new PastDecision(rows.getString(1), rows.getTimestamp(2).toInstant(),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6),
                            rows.getString(7)));
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The ruleset that made the newest judged decision: the live one, as far as the history knows. */
    String newestVersion() throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT ruleset_version FROM decision_audit"
                + " WHERE outcome IN " + JUDGED + " ORDER BY received_at DESC LIMIT 1");
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
