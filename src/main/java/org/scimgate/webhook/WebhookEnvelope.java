package org.scimgate.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import org.scimgate.scim.MalformedPayload;

/**
 * The body a Genesys Cloud data action posts: {@code {eventType, eventTimestamp, data}}, where
 * {@code data} is the SCIM user. Only {@code user.created} events are judged.
 */
record WebhookEnvelope(String eventType, String eventTimestamp, JsonNode data) {

    static final String USER_CREATED = "user.created";

    static WebhookEnvelope read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new MalformedPayload("the body must be a JSON object {eventType, eventTimestamp, data}");
        }
        String eventType = requiredText(root, "eventType");
        String eventTimestamp = optionalText(root, "eventTimestamp");
        return new WebhookEnvelope(eventType, eventTimestamp, root.get("data"));
    }

    boolean judged() {
        return USER_CREATED.equals(eventType);
    }

    private static String requiredText(JsonNode root, String field) {
        String value = optionalText(root, field);
        if (value == null || value.isBlank()) {
            throw new MalformedPayload(field + " is required");
        }
        return value;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedPayload(field + " must be a string");
        }
        return value.textValue();
    }
}
