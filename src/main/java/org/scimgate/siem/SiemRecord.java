package org.scimgate.siem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * The audit record a SIEM receives: the tutorial's payload ({@code source, timestamp,
 * correlationId, userId, userName, outcome, violations, eventTimestamp, complianceEngine}) plus
 * {@code decisionId} — the idempotency key: a redelivered record carries the same one —,
 * {@code rulesetVersion} and {@code webhookId}; with a shadow ruleset, {@code shadow}: what it would
 * have decided ({@code outcome}, {@code rulesetVersion}, {@code codes}), never enforced.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SiemRecord(String source, String timestamp, String correlationId, String userId, String userName,
                         String outcome, JsonNode violations, String eventTimestamp, String complianceEngine,
                         UUID decisionId, String rulesetVersion, String webhookId, String receivedAt,
                         String eventType, JsonNode shadow) implements SiemEvent {

    public static final String SOURCE = "scimgate";

    @Override
    public String eventId() {
        return decisionId.toString();
    }

    @Override
    public String eventTime() {
        return receivedAt;
    }
    public static final String UNKNOWN_EVENT = "UNKNOWN_EVENT";
}
