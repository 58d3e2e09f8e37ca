package org.scimgate.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.scimgate.policy.Evaluation;
import org.scimgate.scim.ScimUser;

/**
 * One webhook call judged: what was received, what was decided and the answer to give.
 * {@code user}, {@code evaluation}, {@code payload} and {@code detail} are null where the request
 * never got that far or nothing went wrong; {@code bodySha256} is the SHA-256 of the raw body the
 * decision was made on, null where the body was not read.
 */
record WebhookDecision(UUID decisionId, Instant receivedAt, String webhookId, String idempotencyKey,
                       Outcome outcome, int httpStatus, Object body, String eventType, String eventTimestamp,
                       ScimUser user, Evaluation evaluation, JsonNode payload, String detail,
                       String bodySha256) {

    enum Outcome { ACCEPTED, ACCEPTED_WITH_WARNINGS, REJECTED, IGNORED, MALFORMED, UNAUTHENTICATED }
}
