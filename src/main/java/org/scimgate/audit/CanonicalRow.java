package org.scimgate.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The canonical form of a {@code decision_audit} row that the hash chain covers: every column, in
 * a fixed order, each length-prefixed so that no two rows can serialise alike; jsonb as
 * PostgreSQL normalises it, the timestamp in microseconds since the epoch.
 */
final class CanonicalRow {

    /** The columns, selected in this order by every query that hashes rows. */
    static final String COLUMNS = """
            a.decision_id::text, a.seq::text, (extract(epoch FROM a.received_at) * 1000000)::bigint::text, a.source,
            a.event_type, a.event_timestamp, a.delivery_id, a.idempotency_key, a.scim_user_id, a.user_name, a.outcome,
            a.http_status::text, a.violations::text, a.fired_rules::text, a.ruleset_version, a.request_id, a.detail,
            a.payload::text, a.response_body, a.operation, a.upstream_status::text""";
    static final int COUNT = 21;
    /** Columns added after the chain began: hashed only when set, so rows sealed before them still verify. */
    private static final int FIRST_OPTIONAL = 19;
    static final byte[] GENESIS = new byte[32];

    private CanonicalRow() {
    }

    /** Reads the {@link #COLUMNS} starting at {@code first} and returns the row's canonical bytes. */
    static byte[] read(ResultSet rs, int first) throws SQLException {
        StringBuilder canonical = new StringBuilder("decision_audit/v1;");
        for (int i = 0; i < COUNT; i++) {
            String value = rs.getString(first + i);
            if (i >= FIRST_OPTIONAL) {
                if (value != null) {
                    canonical.append(i).append('=').append(value.length()).append(':').append(value).append(';');
                }
                continue;
            }
            canonical.append(value == null ? "-" : value.length() + ":" + value).append(';');
        }
        return canonical.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] chain(byte[] previous, byte[] canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous);
            sha.update(canonical);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
