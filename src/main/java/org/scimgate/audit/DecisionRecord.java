package org.scimgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A decision as it is written to {@code decision_audit}. {@code payload} must already have its
 * secrets removed; {@code responseBody} is the exact answer, replayed to a retried delivery.
 * {@code bodySha256} is the SHA-256 of the raw request body where there was one: a delivery id
 * stands for that body only.
 */
public record DecisionRecord(UUID decisionId, Instant receivedAt, String source, String eventType,
                             String eventTimestamp, String deliveryId, String idempotencyKey, String scimUserId,
                             String userName, String outcome, int httpStatus, List<AuditedViolation> violations,
                             List<FiredRule> firedRules, String rulesetVersion, String requestId, String detail,
                             JsonNode payload, String responseBody, String operation, Integer upstreamStatus,
                             String bodySha256) {

    public DecisionRecord {
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(responseBody, "responseBody");
        violations = violations == null ? List.of() : List.copyOf(violations);
        firedRules = firedRules == null ? List.of() : List.copyOf(firedRules);
    }

    /** A decision without a request body to bind its key to (the gateway's, an unread request). */
    public DecisionRecord(UUID decisionId, Instant receivedAt, String source, String eventType, String eventTimestamp,
                          String deliveryId, String idempotencyKey, String scimUserId, String userName, String outcome,
                          int httpStatus, List<AuditedViolation> violations, List<FiredRule> firedRules,
                          String rulesetVersion, String requestId, String detail, JsonNode payload,
                          String responseBody, String operation, Integer upstreamStatus) {
        this(decisionId, receivedAt, source, eventType, eventTimestamp, deliveryId, idempotencyKey, scimUserId, userName,
                outcome, httpStatus, violations, firedRules, rulesetVersion, requestId, detail, payload, responseBody,
                operation, upstreamStatus, null);
    }

    public record AuditedViolation(String field, String code, String message, String severity, String mode,
                                   String rule) {
    }

    public record FiredRule(String rule, String code) {
    }
}
