package org.scimgate.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.scimgate.policy.Evaluation;
import org.scimgate.scim.ScimUser;

/**
 * One answered webhook call: what was received, what was decided and the exact answer given.
 * {@code user}, {@code evaluation} and {@code payload} are null where the request never got that far.
 */
record WebhookDecision(UUID decisionId, Instant receivedAt, String webhookId, Outcome outcome, int httpStatus,
                       Object body, String eventType, String eventTimestamp, ScimUser user,
                       Evaluation evaluation, JsonNode payload) {

    enum Outcome { ACCEPTED, ACCEPTED_WITH_WARNINGS, REJECTED, IGNORED, MALFORMED }
}
