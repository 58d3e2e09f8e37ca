package org.scimgate.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The judged decisions of a window, read over a server-side cursor (a read-only transaction and a
 * fetch size) on a connection of the caller's, so a history of any length is read in a bounded
 * amount of memory: what a replay of the rules runs on.
 */
public final class JudgedHistory {

    /** Outcomes that are a verdict of the rules; MALFORMED, IGNORED, UNAUTHENTICATED and the like are not. */
    private static final String JUDGED = "('ACCEPTED', 'ACCEPTED_WITH_WARNINGS', 'REJECTED')";
    private static final int FETCH_SIZE = 2_000;

    /**
     * A judged decision as the audit stored it: its outcome, the codes of its violations
     * (comma-separated) and the SCIM user it judged, as JSON without the attributes the rules marked
     * sensitive. The webhook stored its whole envelope and judged the envelope's {@code data}; the
     * gateway stored the user it judged (for a PATCH, with the patch applied): {@code user} is that
     * user either way.
     */
    public record Judged(String decisionId, Instant receivedAt, String source, String userName, String outcome,
                         String codes, String user) {
    }

    private final Connection connection;

    public JudgedHistory(Connection connection) {
        this.connection = connection;
    }

    /** Every judged webhook and gateway decision received in [{@code from}, {@code to}), in no particular order. */
    public void forEach(Instant from, Instant to, Consumer<Judged> action) throws SQLException {
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
            query.setTimestamp(1, Timestamp.from(from));
            query.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    action.accept(new Judged(rows.getString(1), rows.getTimestamp(2).toInstant(), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7)));
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The ruleset that made the newest judged decision: the live one, as far as the history knows. */
    public String newestVersion() throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT ruleset_version FROM decision_audit"
                + " WHERE outcome IN " + JUDGED + " ORDER BY received_at DESC LIMIT 1");
             ResultSet rows = query.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
