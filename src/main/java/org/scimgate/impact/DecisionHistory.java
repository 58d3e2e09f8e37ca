package org.scimgate.impact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    /**
     * A payload stored exactly (V15), or, recorded before, one with no U+FFFD, which stood in for a NUL
     * (a lone surrogate then became '?', which no query can tell from a question mark).
     */
    static final String EXACT = "coalesce(payload_exact, strpos(coalesce(payload::text, ''), U&'\\FFFD') = 0)";
    private static final ObjectMapper EXACT_JSON = new ObjectMapper();

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
                       (CASE WHEN source = 'webhook' THEN payload -> 'data' ELSE payload END)::text, payload_text
                FROM decision_audit
                WHERE received_at >= ? AND received_at < ? AND source IN ('webhook', 'gateway')
                  AND outcome IN """ + JUDGED + " AND " + EXACT)) {
            query.setFetchSize(FETCH_SIZE);
            query.setTimestamp(1, Timestamp.from(window.from()));
            query.setTimestamp(2, Timestamp.from(window.to()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String exact = rows.getString(8);
                    action.accept(new PastDecision(rows.getString(1), rows.getTimestamp(2).toInstant(),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6),
                            exact == null ? rows.getString(7) : user(rows.getString(3), exact)));
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Judged decisions of the window whose payload was not stored exactly: recorded before payloads were
     * (a NUL became U+FFFD), or holding a number its reader could not hold. They are not replayed.
     */
    long notStoredExactly(ReplayWindow window) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT count(*) FROM decision_audit
                WHERE received_at >= ? AND received_at < ? AND source IN ('webhook', 'gateway')
                  AND outcome IN """ + JUDGED + " AND NOT " + EXACT)) {
            query.setTimestamp(1, Timestamp.from(window.from()));
            query.setTimestamp(2, Timestamp.from(window.to()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The judged user of an exactly stored payload text, escaped as it was stored. */
    private static String user(String source, String payloadText) {
        try {
            JsonNode payload = EXACT_JSON.readTree(payloadText);
            return EXACT_JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII)
                    .writeValueAsString("webhook".equals(source) ? payload.get("data") : payload);
        } catch (JsonProcessingException e) {
            return null;
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
