package org.scimgate.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes secrets from a SCIM payload before it is stored or shown: {@code password} always, and
 * every attribute the policy's reference data lists as sensitive, at any depth. SCIM attribute
 * names are case-insensitive (RFC 7643 §2.1), so the match is too.
 */
public final class Redaction {

    public static final String PASSWORD = "password";

    private final String[] names;

    public Redaction(Set<String> sensitiveAttributes) {
        this.names = Stream.concat(Stream.of(PASSWORD), sensitiveAttributes.stream())
                .map(n -> n.toLowerCase(Locale.ROOT))
                .distinct()
                .toArray(String[]::new);
    }

    /**
     * {@code node} without the sensitive attributes: a stripped copy when it has any, else
     * {@code node} itself (most payloads have none, and copying every one cost more than the
     * check). The input is never modified; treat the result as read-only.
     */
    public JsonNode apply(JsonNode node) {
        if (node == null || !containsSensitive(node)) {
            return node;
        }
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private boolean containsSensitive(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (var property : object.properties()) {
                if (sensitive(property.getKey()) || containsSensitive(property.getValue())) {
                    return true;
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                if (containsSensitive(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(e -> sensitive(e.getKey()));
            object.forEach(this::strip);
        } else if (node instanceof ArrayNode array) {
            array.forEach(this::strip);
        }
    }

    private boolean sensitive(String name) {
        for (String sensitive : names) {
            if (sensitive.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
