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
 * stands for that body only. {@code shadow} is the shadow ruleset's verdict on the same user, never
 * enforced; null without a shadow or when nothing was evaluated.
 */
public record DecisionRecord(UUID decisionId, Instant receivedAt, String source, String eventType,
                             String eventTimestamp, String deliveryId, String idempotencyKey, String scimUserId,
                             String userName, String outcome, int httpStatus, List<AuditedViolation> violations,
                             List<FiredRule> firedRules, String rulesetVersion, String requestId, String detail,
                             JsonNode payload, String responseBody, String operation, Integer upstreamStatus,
                             String bodySha256, Shadow shadow) {

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

    /** A decision bound to the SHA-256 of its request body, without a shadow verdict. */
    public DecisionRecord(UUID decisionId, Instant receivedAt, String source, String eventType, String eventTimestamp,
                          String deliveryId, String idempotencyKey, String scimUserId, String userName, String outcome,
                          int httpStatus, List<AuditedViolation> violations, List<FiredRule> firedRules,
                          String rulesetVersion, String requestId, String detail, JsonNode payload,
                          String responseBody, String operation, Integer upstreamStatus, String bodySha256) {
        this(decisionId, receivedAt, source, eventType, eventTimestamp, deliveryId, idempotencyKey, scimUserId, userName,
                outcome, httpStatus, violations, firedRules, rulesetVersion, requestId, detail, payload, responseBody,
                operation, upstreamStatus, bodySha256, null);
    }

    /** A decision without a request body to bind its key to (the gateway's, an unread request). */
    public DecisionRecord(UUID decisionId, Instant receivedAt, String source, String eventType, String eventTimestamp,
                          String deliveryId, String idempotencyKey, String scimUserId, String userName, String outcome,
                          int httpStatus, List<AuditedViolation> violations, List<FiredRule> firedRules,
                          String rulesetVersion, String requestId, String detail, JsonNode payload,
                          String responseBody, String operation, Integer upstreamStatus) {
        this(decisionId, receivedAt, source, eventType, eventTimestamp, deliveryId, idempotencyKey, scimUserId, userName,
                outcome, httpStatus, violations, firedRules, rulesetVersion, requestId, detail, payload, responseBody,
                operation, upstreamStatus, null, null);
    }

    /** This decision with the shadow ruleset's verdict on the same user (null: none). */
    public DecisionRecord withShadow(Shadow verdict) {
        return new DecisionRecord(decisionId, receivedAt, source, eventType, eventTimestamp, deliveryId, idempotencyKey,
                scimUserId, userName, outcome, httpStatus, violations, firedRules, rulesetVersion, requestId, detail,
                payload, responseBody, operation, upstreamStatus, bodySha256, verdict);
    }

    /**
     * What the shadow ruleset would have decided: its outcome ({@code ACCEPTED},
     * {@code ACCEPTED_WITH_WARNINGS}, {@code REJECTED}), its version and the codes of its
     * violations, sorted and distinct.
     */
    public record Shadow(String outcome, String rulesetVersion, List<String> codes) {

        public Shadow {
            Objects.requireNonNull(outcome, "outcome");
            codes = codes == null ? List.of() : codes.stream().distinct().sorted().toList();
        }
    }

    /** {@code remedy} is the rule's {@code @remedy} (e.g. {@code deactivate}); absent where the rule has none. */
    public record AuditedViolation(String field, String code, String message, String severity, String mode,
                                   String rule,
                                   @com.fasterxml.jackson.annotation.JsonInclude(
                                           com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String remedy) {

        public AuditedViolation(String field, String code, String message, String severity, String mode, String rule) {
            this(field, code, message, severity, mode, rule, null);
        }
    }

    public record FiredRule(String rule, String code) {
    }
}
