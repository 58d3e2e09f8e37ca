package org.scimgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
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
 * amount of memory: what a replay of the rules runs on. Only payloads stored exactly are given:
 * a replay of one that was not would report a flip that storage made up.
 */
public final class JudgedHistory {

    /** Outcomes that are a verdict of the rules; MALFORMED, IGNORED, UNAUTHENTICATED and the like are not. */
    private static final String JUDGED = "('ACCEPTED', 'ACCEPTED_WITH_WARNINGS', 'REJECTED')";
    private static final int FETCH_SIZE = 2_000;
    /**
     * A payload stored exactly (V15), or, recorded before, one with no U+FFFD, which stood in for a NUL
     * (a lone surrogate then became '?', which no query can tell from a question mark).
     */
    private static final String EXACT = "coalesce(payload_exact, strpos(coalesce(payload::text, ''), U&'\\FFFD') = 0)";
    private static final String WINDOW = " FROM decision_audit WHERE received_at >= ? AND received_at < ?"
            + " AND source IN ('webhook', 'gateway') AND outcome IN " + JUDGED
            // A change of group membership was judged with facts its payload does not hold: not replayed as a user.
            + " AND coalesce(operation, '') NOT LIKE '%/Groups%'";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Numbers kept as written, as the live path read them: never through a double. */
    private static final ObjectReader EXACT_NUMBERS = JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

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

    /**
     * Every judged webhook and gateway decision about a user received in [{@code from}, {@code to})
     * whose payload was stored exactly, in no particular order (not the gateway's decisions on group
     * membership, whose facts, the user's groups in Genesys, are not in their payload). A payload jsonb could not hold is read from its exact
     * text, escaped as it was stored.
     */
    public void forEach(Instant from, Instant to, Consumer<Judged> action) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
        try (PreparedStatement query = connection.prepareStatement("SELECT decision_id, received_at, source, user_name,"
                + " outcome, array_to_string(ARRAY(SELECT DISTINCT v ->> 'code' FROM jsonb_array_elements(violations) v), ','),"
                + " (CASE WHEN source = 'webhook' THEN payload -> 'data' ELSE payload END)::text, payload_text"
                + WINDOW + " AND " + EXACT)) {
            query.setFetchSize(FETCH_SIZE);
            query.setTimestamp(1, Timestamp.from(from));
            query.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String exact = rows.getString(8);
                    action.accept(new Judged(rows.getString(1), rows.getTimestamp(2).toInstant(), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6),
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
    public long notStoredExactly(Instant from, Instant to) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*)" + WINDOW + " AND NOT " + EXACT)) {
            query.setTimestamp(1, Timestamp.from(from));
            query.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The judged user of an exactly stored payload text, escaped as it was stored. */
    private static String user(String source, String payloadText) {
        try {
            JsonNode payload = EXACT_NUMBERS.readTree(payloadText);
            return JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII)
                    .writeValueAsString("webhook".equals(source) ? payload.get("data") : payload);
        } catch (JsonProcessingException e) {
            return null;
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
