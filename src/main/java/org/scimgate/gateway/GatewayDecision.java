package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.scimgate.policy.Evaluation;
import org.scimgate.scim.ScimUser;

/**
 * One judged or forwarded gateway call, as the audit records it. {@code membership}: a change of
 * group membership, judged with the groups as facts, which the shadow ruleset does not judge on the
 * user alone.
 */
record GatewayDecision(UUID decisionId, Instant receivedAt, String operation, String outcome, int httpStatus,
                       ScimUser user, Evaluation evaluation, JsonNode payload, String detail, String responseBody,
                       Integer upstreamStatus, boolean membership) {

    GatewayDecision(UUID decisionId, Instant receivedAt, String operation, String outcome, int httpStatus,
                    ScimUser user, Evaluation evaluation, JsonNode payload, String detail, String responseBody,
                    Integer upstreamStatus) {
        this(decisionId, receivedAt, operation, outcome, httpStatus, user, evaluation, payload, detail, responseBody,
                upstreamStatus, false);
    }
}
