package org.scimgate.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The webhook's request body as OpenAPI shows it; the controller reads the raw body itself. */
final class WebhookApiDoc {

    private WebhookApiDoc() {
    }

    @Schema(name = "WebhookEnvelope", description = "What a Genesys Cloud data action posts.")
    record Envelope(
            @Schema(description = "Only user.created is judged; others are IGNORED", example = "user.created",
                    requiredMode = Schema.RequiredMode.REQUIRED) String eventType,
            @Schema(description = "Echoed back; ISO-8601", example = "2026-11-29T10:00:00Z") String eventTimestamp,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ScimUser data) {
    }

    @Schema(name = "ScimUser", description = "An RFC 7643 user, with the tutorial's top-level department and costCenter "
            + "accepted too; the enterprise extension wins when both are present. password is never stored.")
    record ScimUser(String id, String externalId, @Schema(example = "jane.doe@acme.com") String userName,
                    String displayName, List<Email> emails, @Schema(example = "Engineering") String department,
                    @Schema(example = "CC-1234") String costCenter,
                    @JsonProperty("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User") Enterprise enterprise) {
    }

    @Schema(name = "ScimEmail")
    record Email(@Schema(example = "jane.doe@acme.com") String value, @Schema(example = "work") String type,
                 Boolean primary) {
    }

    @Schema(name = "EnterpriseUser")
    record Enterprise(String department, String costCenter, String division, String organization,
                      String employeeNumber) {
    }
}
