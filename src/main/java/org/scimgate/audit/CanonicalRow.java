package org.scimgate.audit;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The canonical form of a {@code decision_audit} row, computed here from the row's columns as
 * PostgreSQL's own type output prints them, so that verification trusts no function stored in the
 * database it checks: {@code audit_canonical()} seals, this recomputes, and a replaced function
 * cannot make a changed row look sealed. The bytes are those of {@code audit_canonical()}:
 * {@code decision_audit/v1;}, then the first version's columns in order as
 * {@code <length>:<value>;} ({@code -;} for null; lengths in UTF-16 code units; {@code received_at}
 * in microseconds since the epoch), then each later column only when set, as
 * {@code <index>=<length>:<value>;}.
 */
final class CanonicalRow {

    private static final String PREFIX = "decision_audit/v1;";
    /** The columns of the canonical row, in order; index 2 is {@code received_at}. */
    static final List<String> COLUMNS = List.of(
            "decision_id", "seq", "received_at", "source", "event_type", "event_timestamp", "delivery_id",
            "idempotency_key", "scim_user_id", "user_name", "outcome", "http_status", "violations", "fired_rules",
            "ruleset_version", "request_id", "detail", "payload", "response_body",
            // written only when set, as "<index>=…"
            "operation", "upstream_status", "body_sha256", "shadow_outcome", "shadow_ruleset_version", "shadow_codes",
            "payload_text", "payload_exact");
    private static final int RECEIVED_AT = 2;
    private static final int FIRST_OPTIONAL = 19;
    private static final int PAYLOAD_EXACT = 26;

    private CanonicalRow() {
    }

    /** The columns to select, qualified by {@code alias}, in the order {@link #read} expects them. */
    static String select(String alias) {
        StringBuilder columns = new StringBuilder();
        for (String column : COLUMNS) {
            columns.append(columns.isEmpty() ? "" : ", ").append(alias).append('.').append(column);
        }
        return columns.toString();
    }

    /** The canonical bytes of the row whose columns start at {@code first} in {@code rs}. */
    static byte[] read(ResultSet rs, int first) throws SQLException {
        StringBuilder canonical = new StringBuilder(512).append(PREFIX);
        for (int i = 0; i < COLUMNS.size(); i++) {
            String value = i == RECEIVED_AT ? micros(rs.getObject(first + i, OffsetDateTime.class))
                    : i == PAYLOAD_EXACT ? bool(rs, first + i) : rs.getString(first + i);
            if (i >= FIRST_OPTIONAL) {
                if (value != null) {
                    canonical.append(i).append('=');
                    field(canonical, value);
                }
            } else if (value == null) {
                canonical.append("-;");
            } else {
                field(canonical, value);
            }
        }
        return canonical.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder canonical, String value) {
        canonical.append(value.length()).append(':').append(value).append(';');
    }

    /** A boolean as PostgreSQL's {@code boolean::text} prints it. */
    private static String bool(ResultSet rs, int column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value ? "true" : "false";
    }

    private static String micros(OffsetDateTime at) {
        if (at == null) {
            return null;
        }
        long seconds = at.toEpochSecond();
        return Long.toString(Math.addExact(Math.multiplyExact(seconds, 1_000_000L), at.getNano() / 1_000));
    }
}
