package org.scimgate.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Removes secrets from a SCIM payload before it is stored or shown: {@code password} always, and
 * every attribute the policy's reference data lists as sensitive, at any depth. SCIM attribute
 * names are case-insensitive (RFC 7643 §2.1), so the match is too.
 */
public final class Redaction {

    public static final String PASSWORD = "password";

    private final Set<String> names;

    public Redaction(Set<String> sensitiveAttributes) {
        this.names = Stream.concat(Stream.of(PASSWORD), sensitiveAttributes.stream())
                .map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A copy of {@code node} without the sensitive attributes; the input is left untouched. */
    public JsonNode apply(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(e -> names.contains(e.getKey().toLowerCase(Locale.ROOT)));
            object.forEach(this::strip);
        } else if (node instanceof ArrayNode array) {
            array.forEach(this::strip);
        }
    }
}
