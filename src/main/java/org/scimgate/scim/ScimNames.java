package org.scimgate.scim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Attribute names read as SCIM defines them: case-insensitively, and each at most once per object. */
public final class ScimNames {

    private ScimNames() {
    }

    /** The value of {@code name} in {@code object} whatever its case; null when absent or not an object. */
    public static JsonNode get(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Refuses any object, at any depth, that names an attribute twice in different cases. (Exact
     * duplicates never reach a tree: the parser refuses them, see {@code JsonLimits}.)
     *
     * @throws DuplicateAttribute naming where
     */
    public static void refuseDuplicates(JsonNode node, String path) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            Map<String, String> seen = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String earlier = seen.put(e.getKey().toLowerCase(Locale.ROOT), e.getKey());
                if (earlier != null) {
                    throw new DuplicateAttribute(path + " has the attribute " + e.getKey() + " twice (as '" + earlier
                            + "' and '" + e.getKey() + "'); SCIM attribute names are case-insensitive");
                }
                refuseDuplicates(e.getValue(), path + "." + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseDuplicates(node.get(i), path + "[" + i + "]");
            }
        }
    }
}
