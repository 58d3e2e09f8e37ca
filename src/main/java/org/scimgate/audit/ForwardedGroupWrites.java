package org.scimgate.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The group writes the gateway forwarded and Genesys accepted (a {@code FORWARDED} row with a 2xx
 * answer) since a moment, whose payload names a value: what the gateway has just done to a user's
 * memberships, for a Genesys whose reads may not show it yet. Read from the {@code received_at}
 * index, oldest first.
 */
@Component
public class ForwardedGroupWrites {

    /** One forwarded write: {@code operation} such as {@code PATCH /Groups/g-1}, its payload and Genesys' answer. */
    public record Write(String operation, String payload, String answer, Instant at) {
    }

    private final JdbcClient jdbc;

    ForwardedGroupWrites(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Write> since(Instant from, String naming) {
        return jdbc.sql("""
                SELECT operation, payload::text, response_body, received_at FROM decision_audit
                WHERE received_at > ? AND source = 'gateway' AND outcome = 'FORWARDED'
                  AND upstream_status BETWEEN 200 AND 299 AND operation ~ '^(POST|PUT|PATCH) /Groups'
                  AND strpos(payload::text, ?) > 0
                ORDER BY received_at, seq""")
                .param(Timestamp.from(from)).param(naming)
                .query((rs, n) -> new Write(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }
}
