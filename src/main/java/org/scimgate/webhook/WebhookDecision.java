package org.scimgate.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.scimgate.policy.Evaluation;
import org.scimgate.scim.ScimUser;

/**
 * One webhook call judged: what was received, what was decided and the answer to give.
 * {@code user}, {@code evaluation}, {@code payload} and {@code detail} are null where the request
 * never got that far or nothing went wrong.
 */
record WebhookDecision(UUID decisionId, Instant receivedAt, String webhookId, String idempotencyKey,
                       Outcome outcome, int httpStatus, Object body, String eventType, String eventTimestamp,
                       ScimUser user, Evaluation evaluation, JsonNode payload, String detail) {

    enum Outcome { ACCEPTED, ACCEPTED_WITH_WARNINGS, REJECTED, IGNORED, MALFORMED, UNAUTHENTICATED }
}
