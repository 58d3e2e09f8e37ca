package org.scimgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL text and jsonb cannot hold NUL (U+0000). A request carrying one is still recorded:
 * the character is stored as U+FFFD, the replacement character, and the row says so by its look.
 */
final class DatabaseText {

    private static final char NUL = '\u0000';
    private static final char REPLACEMENT = '\uFFFD';

    private DatabaseText() {
    }

    static String clean(String s) {
        return s == null || s.indexOf(NUL) < 0 ? s : s.replace(NUL, REPLACEMENT);
    }

    /** A copy of the tree with NUL replaced in every string and field name; the input is left untouched. */
    static JsonNode clean(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue().indexOf(NUL) < 0 ? node : TextNode.valueOf(clean(node.textValue()));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
            for (Map.Entry<String, JsonNode> field : fields) {
                copy.set(clean(field.getKey()), clean(field.getValue()));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode(array.size());
            array.forEach(element -> copy.add(clean(element)));
            return copy;
        }
        return node;
    }
}
