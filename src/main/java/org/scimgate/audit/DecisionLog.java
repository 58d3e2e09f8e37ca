package org.scimgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes each decision and its SIEM outbox entry in one transaction. A delivery seen before (same
 * idempotency key) writes nothing and returns the first decision, also when both copies arrive at
 * once: the unique key makes the second insert wait for the first and then do nothing.
 */
@Component
public class DecisionLog {

    private static final String INSERT = """
            INSERT INTO decision_audit (decision_id, received_at, source, event_type, event_timestamp, delivery_id,
                idempotency_key, scim_user_id, user_name, outcome, http_status, violations, fired_rules,
                ruleset_version, request_id, detail, payload, response_body, operation, upstream_status)
            VALUES (:decisionId, :receivedAt, :source, :eventType, :eventTimestamp, :deliveryId, :idempotencyKey,
                :scimUserId, :userName, :outcome, :httpStatus, CAST(:violations AS jsonb), CAST(:firedRules AS jsonb),
                :rulesetVersion, :requestId, :detail, CAST(:payload AS jsonb), :responseBody, :operation, :upstreamStatus)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING decision_id
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;

    DecisionLog(JdbcClient jdbc, TransactionTemplate transactions, ObjectMapper json) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
    }

    /** Records the decision durably, or returns the earlier one; throws when the database cannot be written. */
    public StoredDecision record(DecisionRecord decision) {
        return transactions.execute(status -> {
            Optional<UUID> inserted = jdbc.sql(INSERT)
                    .param("decisionId", decision.decisionId())
                    .param("receivedAt", Timestamp.from(decision.receivedAt()))
                    .param("source", decision.source())
                    .param("eventType", DatabaseText.clean(decision.eventType()))
                    .param("eventTimestamp", DatabaseText.clean(decision.eventTimestamp()))
                    .param("deliveryId", DatabaseText.clean(decision.deliveryId()))
                    .param("idempotencyKey", DatabaseText.clean(decision.idempotencyKey()))
                    .param("scimUserId", DatabaseText.clean(decision.scimUserId()))
                    .param("userName", DatabaseText.clean(decision.userName()))
                    .param("outcome", decision.outcome())
                    .param("httpStatus", decision.httpStatus())
                    .param("violations", write(decision.violations()))
                    .param("firedRules", write(decision.firedRules()))
                    .param("rulesetVersion", decision.rulesetVersion())
                    .param("requestId", DatabaseText.clean(truncate(decision.requestId())))
                    .param("detail", DatabaseText.clean(decision.detail()))
                    .param("payload", decision.payload() == null ? null : write(decision.payload()))
                    .param("responseBody", DatabaseText.clean(decision.responseBody()))
                    .param("operation", DatabaseText.clean(decision.operation()))
                    .param("upstreamStatus", decision.upstreamStatus())
                    .query(UUID.class)
                    .optional();
            if (inserted.isEmpty()) {
                return jdbc.sql("SELECT decision_id, http_status, response_body FROM decision_audit WHERE idempotency_key = ?")
                        .param(decision.idempotencyKey())
                        .query((rs, n) -> new StoredDecision(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), true))
                        .single();
            }
            jdbc.sql("INSERT INTO siem_outbox (decision_id) VALUES (?)").param(decision.decisionId()).update();
            return new StoredDecision(decision.decisionId(), decision.httpStatus(), decision.responseBody(), false);
        });
    }

    private static String truncate(String requestId) {
        return requestId == null || requestId.length() <= 200 ? requestId : requestId.substring(0, 200);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(DatabaseText.clean(json.valueToTree(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise an audit field", e);
        }
    }
}
