package org.scimgate.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Decisions by id, with what an export of them to a SIEM carries: everything but the payload and
 * the answer's body. One query per call, by primary key.
 */
@Component
public class DecisionSummaries {

    /** A decision without its payload; {@code violations} and {@code shadowCodes} are JSON text. */
    public record DecisionSummary(UUID decisionId, Instant receivedAt, String eventType, String eventTimestamp,
                                  String deliveryId, String scimUserId, String userName, String outcome,
                                  String violations, String rulesetVersion, String shadowOutcome,
                                  String shadowRulesetVersion, String shadowCodes) {
    }

    private final JdbcClient jdbc;

    DecisionSummaries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The decisions of {@code ids} the audit holds, by id. */
    public Map<UUID, DecisionSummary> byId(Collection<UUID> ids) {
        Map<UUID, DecisionSummary> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                SELECT decision_id, received_at, event_type, event_timestamp, delivery_id, scim_user_id, user_name,
                       outcome, violations::text, ruleset_version, shadow_outcome, shadow_ruleset_version,
                       shadow_codes::text
                FROM decision_audit WHERE decision_id = ANY (CAST(? AS uuid[]))
                """).param(ids.stream().map(UUID::toString).toArray(String[]::new))
                .query((rs, n) -> new DecisionSummary(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                        rs.getString(13)))
                .list().forEach(d -> found.put(d.decisionId(), d));
        return found;
    }
}
