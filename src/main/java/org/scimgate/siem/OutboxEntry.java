package org.scimgate.siem;

import java.time.Instant;
import java.util.UUID;

/** A claimed outbox row joined with the decision it exports. */
record OutboxEntry(UUID decisionId, int attempts, String correlationId, Instant receivedAt, String eventType,
                   String eventTimestamp, String deliveryId, String scimUserId, String userName, String outcome,
                   String violations, String rulesetVersion, String shadowOutcome, String shadowRulesetVersion,
                   String shadowCodes) {

    boolean needsCorrelation() {
        return correlationId == null && "user.created".equals(eventType);
    }
}
