package org.scimgate.audit;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The canonical row as the first version computed it in Java, kept only to prove that chains it
 * sealed still verify now that the database computes the same bytes ({@code audit_canonical}).
 */
final class FirstVersionCanonicalRow {

    static final String COLUMNS = """
            a.decision_id::text, a.seq::text, (extract(epoch FROM a.received_at) * 1000000)::bigint::text, a.source,
            a.event_type, a.event_timestamp, a.delivery_id, a.idempotency_key, a.scim_user_id, a.user_name, a.outcome,
            a.http_status::text, a.violations::text, a.fired_rules::text, a.ruleset_version, a.request_id, a.detail,
            a.payload::text, a.response_body, a.operation, a.upstream_status::text""";
    private static final int COUNT = 21;
    private static final int FIRST_OPTIONAL = 19;

    private FirstVersionCanonicalRow() {
    }

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
}
