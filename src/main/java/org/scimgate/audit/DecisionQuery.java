package org.scimgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Searches the audit newest first (the query API and the console read through here), with keyset pagination: a page never
 * skips or repeats a row while new decisions arrive.
 *
 * <p>Newest first means by {@code received_at}, ties broken by the row sequence, so that a time window is read from its
 * upper bound down the {@code received_at} index: what it costs does not depend on how far back the window lies. (Ordered
 * by the sequence alone, PostgreSQL walks back through every newer row to reach a window a month ago.) The cursor stays
 * the sequence of the last row shown; the next page starts below that row's {@code (received_at, seq)}.
 */
@Component
public class DecisionQuery {

    /** {@code userName} selects the decisions whose user name contains it, ignoring case. */
    public record Filter(String userName, String outcome, String code, Instant from, Instant to, Long before, int limit) {
    }

    public record Page(List<DecisionView> items, String nextCursor) {
    }

    private static final int EXPORT_FETCH_SIZE = 500;
    /** The order of a page and of an export; {@code decision_audit_received_at} serves it, a tie sorted by {@code seq}. */
    private static final String NEWEST_FIRST = " ORDER BY received_at DESC, seq DESC";

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final NamedParameterJdbcTemplate streaming;
    private final TransactionTemplate readOnly;

    DecisionQuery(JdbcClient jdbc, ObjectMapper json, DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        // PostgreSQL reads through a cursor only with a fetch size inside a transaction.
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(EXPORT_FETCH_SIZE);
        this.streaming = new NamedParameterJdbcTemplate(template);
        this.readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
    }

    private static final String COLUMNS = """
            SELECT decision_id, seq, received_at, source, event_type, event_timestamp, delivery_id, scim_user_id,
                   user_name, outcome, http_status, violations::text, fired_rules::text, ruleset_version,
                   request_id, detail, operation, upstream_status, shadow_outcome, shadow_ruleset_version,
                   shadow_codes::text""";

    /** One decision with its stored (redacted) payload. */
    public Optional<DecisionView> find(UUID decisionId) {
        return jdbc.sql(COLUMNS + ", payload::text FROM decision_audit WHERE decision_id = ?").param(decisionId)
                .query((rs, n) -> row(rs, tree(rs.getString(22)))).optional();
    }

    public Page search(Filter filter) {
        Map<String, Object> params = new LinkedHashMap<>();
        String sql = searchSql(filter, params);
        List<DecisionView> rows = new ArrayList<>(jdbc.sql(sql).params(params).query((rs, n) -> row(rs, null)).list());
        String next = null;
        if (rows.size() > filter.limit()) {
            rows = new ArrayList<>(rows.subList(0, filter.limit()));
            next = Long.toString(rows.get(rows.size() - 1).seq());
        }
        return new Page(rows, next);
    }

    /** One page's statement (one row more than the page, to know whether another follows); fills {@code params}. */
    String searchSql(Filter filter, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder(COLUMNS + " FROM decision_audit WHERE true" + where(filter, params));
        if (filter.before() != null) {
            // A cursor no row has (made up, or from another database) selects nothing rather than guessing.
            sql.append(" AND (received_at, seq) < (SELECT received_at, seq FROM decision_audit WHERE seq = :before)");
            params.put("before", filter.before());
        }
        params.put("limit", filter.limit() + 1);
        return sql.append(NEWEST_FIRST).append(" LIMIT :limit").toString();
    }

    /** What {@link #export} hands each decision to; it may fail writing, which ends the export. */
    @FunctionalInterface
    public interface Sink {
        void accept(DecisionView decision) throws IOException;
    }

    /**
     * Every decision the filter selects (its cursor and limit aside), newest first, read through a
     * database cursor a few hundred rows at a time: an export of the whole audit never sits in memory.
     */
    public void export(Filter filter, Sink sink) throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        String sql = COLUMNS + " FROM decision_audit WHERE true" + where(filter, params) + NEWEST_FIRST;
        try {
            readOnly.executeWithoutResult(tx -> streaming.query(sql, params, rs -> {
                try {
                    sink.accept(row(rs, null));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private String where(Filter filter, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder();
        if (filter.userName() != null) {
            // A part of the name in any case: "mallory", "EVIL.COM"; % and _ are matched as themselves.
            sql.append(" AND user_name ILIKE :userName ESCAPE '!'");
            params.put("userName", "%" + likeLiteral(filter.userName()) + "%");
        }
        if (filter.outcome() != null) {
            sql.append(" AND outcome = :outcome");
            params.put("outcome", filter.outcome());
        }
        if (filter.code() != null) {
            sql.append(" AND violations @> CAST(:code AS jsonb)");
            params.put("code", "[{\"code\":" + quote(filter.code()) + "}]");
        }
        if (filter.from() != null) {
            sql.append(" AND received_at >= :from");
            params.put("from", Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND received_at < :to");
            params.put("to", Timestamp.from(filter.to()));
        }
        return sql.toString();
    }

    /** The text as a LIKE pattern that matches only itself. */
    static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private DecisionView row(ResultSet rs, JsonNode payload) throws SQLException {
        return new DecisionView(rs.getObject(1, UUID.class), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getInt(11), tree(rs.getString(12)), tree(rs.getString(13)), rs.getString(14),
                rs.getString(15), rs.getString(16), rs.getString(17), rs.getObject(18, Integer.class), payload,
                shadow(rs));
    }

    private DecisionRecord.Shadow shadow(ResultSet rs) throws SQLException {
        String outcome = rs.getString(19);
        if (outcome == null) {
            return null;
        }
        List<String> codes = new ArrayList<>();
        JsonNode stored = tree(rs.getString(21));
        if (stored != null) {
            stored.forEach(code -> codes.add(code.asText()));
        }
        return new DecisionRecord.Shadow(outcome, rs.getString(20), codes);
    }

    private JsonNode tree(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("decision_audit holds JSON PostgreSQL accepted but Jackson does not", e);
        }
    }

    private String quote(String value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
