package org.scimgate.audit;

import java.util.UUID;

/**
 * The decision that stands for a request: the one just recorded ({@link Kind#NEW}); for a retried
 * delivery, the one recorded the first time ({@link Kind#REPLAYED}); or, when the idempotency key
 * was recorded before for a different body, the earlier decision, which must not be answered
 * ({@link Kind#KEY_REUSED}).
 */
public record StoredDecision(UUID decisionId, int httpStatus, String responseBody, Kind kind) {

    public enum Kind { NEW, REPLAYED, KEY_REUSED }

    public boolean replayed() {
        return kind == Kind.REPLAYED;
    }
}
