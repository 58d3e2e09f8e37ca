package org.scimgate.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/** The bodies the webhook answers with; the rejection body is the tutorial's, plus {@code decisionId}. */
final class WebhookResponses {

    private WebhookResponses() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "WebhookAccepted")
    record Accepted(String status, String webhookId, UUID decisionId, List<ViolationBody> warnings) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "WebhookRejected", description = "The tutorial's rejection body")
    record Rejected(String webhookId, String eventType, String eventTimestamp, String status, String errorCode,
                    List<ViolationBody> violations, String timestamp, UUID decisionId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "WebhookIgnored")
    record Ignored(String status, String webhookId, String eventType, UUID decisionId) {
    }

    /** The one shape of every error that is not a policy decision: bad JSON, wrong type, too large. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "WebhookError",
            description = "MALFORMED, UNAUTHENTICATED or UNAVAILABLE; errorCode says which, detail says why")
    record Error(String status, String errorCode, String detail, String webhookId, String timestamp, UUID decisionId) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(name = "Violation")
    record ViolationBody(String field, String code, String message) {
    }
}
