package org.scimgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code decision_audit}, read-only: the table refuses every change anyway. */
@Entity
@Immutable
@Table(name = "decision_audit")
class AuditedDecision {

    @Id
    @Column(name = "decision_id")
    private UUID decisionId;
    private long seq;
    private Instant receivedAt;
    private String source;
    private String eventType;
    private String eventTimestamp;
    private String deliveryId;
    private String scimUserId;
    private String userName;
    private String outcome;
    private int httpStatus;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode violations;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode firedRules;
    private String rulesetVersion;
    private String requestId;
    private String detail;
    @JdbcTypeCode(SqlTypes.JSON)
    private JsonNode payload;

    protected AuditedDecision() {
    }

    DecisionView view(boolean withPayload) {
        return new DecisionView(decisionId, seq, receivedAt, source, eventType, eventTimestamp, deliveryId, scimUserId,
                userName, outcome, httpStatus, violations, firedRules, rulesetVersion, requestId, detail,
                withPayload ? payload : null);
    }
}
