package org.scimgate.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A recorded decision as the query API shows it; {@code shadow} is absent where no shadow ruleset judged it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionView(UUID decisionId, @JsonIgnore long seq, Instant receivedAt, String source, String eventType,
                    String eventTimestamp, @JsonProperty("webhookId") String deliveryId, String scimUserId,
                    String userName, String outcome, int httpStatus, JsonNode violations, JsonNode firedRules,
                    String rulesetVersion, String requestId, String detail, String operation,
                    Integer upstreamStatus, JsonNode payload, DecisionRecord.Shadow shadow) {
}
