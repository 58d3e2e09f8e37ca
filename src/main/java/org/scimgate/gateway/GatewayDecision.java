package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.scimgate.policy.Evaluation;
import org.scimgate.scim.ScimUser;

/** One judged or forwarded gateway call, as the audit records it. */
record GatewayDecision(UUID decisionId, Instant receivedAt, String operation, String outcome, int httpStatus,
                       ScimUser user, Evaluation evaluation, JsonNode payload, String detail, String responseBody,
                       Integer upstreamStatus) {
}
