package org.scimgate.audit;

import java.util.UUID;

/**
 * The decision that stands for a request: the one just recorded, or, for a retried delivery
 * ({@code replayed}), the one recorded the first time.
 */
public record StoredDecision(UUID decisionId, int httpStatus, String responseBody, boolean replayed) {
}
