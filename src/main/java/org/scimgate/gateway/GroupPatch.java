package org.scimgate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.utils.JsonUtils;
import java.util.Locale;
import org.scimgate.scim.DuplicateAttribute;
import org.scimgate.scim.ScimNames;

/**
 * An RFC 7644 PatchOp on a group, in the dialects identity providers send: Okta's
 * {@code remove members[value eq "…"]}, {@code add members} and the no-path {@code replace} that
 * renames; Entra's capitalised {@code "Add"}/{@code "Remove"} with {@code {"$ref": null, "value": "…"}}
 * members, and its {@code remove members} with the members to remove as the value. {@link #apply}
 * gives the group as it would be afterwards (by the UnboundID/Ping SCIM 2 SDK), so that who joins
 * and who leaves is read from the result, whatever the shape; {@link #normalised} is the PatchOp
 * Genesys receives: the same operations, {@code op} in lower case and without null {@code $ref}s.
 */
final class GroupPatch {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private GroupPatch() {
    }

    /** The group after the operations; {@code current} is left untouched. */
    static ObjectNode apply(ObjectNode current, JsonNode patch) {
        ObjectNode group = sdkTree(current);
        ArrayNode operations = operations(patch);
        for (int i = 0; i < operations.size(); i++) {
            JsonNode operation = operations.get(i);
            String where = "Operations[" + i + "]";
            PatchOpType type = type(ScimNames.get(operation, "op"), where);
            Path path = path(ScimNames.get(operation, "path"), where);
            JsonNode value = ScimNames.get(operation, "value");
            try {
                if (type == PatchOpType.REMOVE && path != null && value != null && value.isArray()
                        && path.size() == 1 && path.getElement(0).getValueFilter() == null) {
                    // Entra: remove members with the members as the value: remove each of them.
                    for (JsonNode member : value) {
                        String id = member.isObject() ? text(ScimNames.get(member, "value")) : text(member);
                        if (id == null) {
                            throw new PatchRefused("invalidValue", where + ": each member to remove needs a value");
                        }
                        PatchOperation.remove(Path.root().attribute(path.getElement(0).getAttribute(),
                                Filter.eq("value", id))).apply(group);
                    }
                    continue;
                }
                if (type != PatchOpType.REMOVE && (value == null || value.isNull())) {
                    throw new PatchRefused("invalidSyntax", where + ": " + type.getStringValue() + " needs a value");
                }
                if (path == null && (value == null || !value.isObject())) {
                    throw new PatchRefused("invalidValue", where + ": an operation without a path needs an object value");
                }
                if (type == PatchOpType.REMOVE && path == null) {
                    throw new PatchRefused("noTarget", where + ": remove needs a path");
                }
                PatchOperation.create(type, path == null ? Path.root() : path,
                        type == PatchOpType.REMOVE ? null : sdkTree(withoutNullRefs(value))).apply(group);
            } catch (ScimException e) {
                String scimType = e.getScimError() == null ? null : e.getScimError().getScimType();
                throw new PatchRefused(scimType == null ? "invalidValue" : scimType, where + ": " + e.getMessage());
            } catch (PatchRefused e) {
                throw e;
            } catch (RuntimeException e) {
                throw new PatchRefused("invalidPath", where + " cannot be applied to this group");
            }
        }
        try {
            return (ObjectNode) PLAIN.readTree(group.toString());
        } catch (JsonProcessingException e) {
            throw new PatchRefused("invalidValue", "the patched group cannot be written as JSON");
        }
    }

    /** The PatchOp as Genesys receives it: the operations judged, {@code op} lower case, no null {@code $ref}. */
    static ObjectNode normalised(JsonNode patch) {
        ObjectNode result = PLAIN.createObjectNode();
        result.putArray("schemas").add(PatchOperations.PATCH_OP);
        ArrayNode operations = result.putArray("Operations");
        for (JsonNode operation : operations(patch)) {
            ObjectNode copy = operations.addObject();
            copy.put("op", ScimNames.get(operation, "op").asText().toLowerCase(Locale.ROOT));
            JsonNode path = ScimNames.get(operation, "path");
            if (path != null && !path.isNull()) {
                copy.set("path", path);
            }
            JsonNode value = ScimNames.get(operation, "value");
            if (value != null) {
                copy.set("value", withoutNullRefs(value));
            }
        }
        return result;
    }

    private static ArrayNode operations(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new PatchRefused("invalidSyntax", "the body must be a SCIM PatchOp object");
        }
        try {
            ScimNames.refuseDuplicates(patch, "the PatchOp");
        } catch (DuplicateAttribute e) {
            throw new PatchRefused("invalidSyntax", e.detail());
        }
        JsonNode operations = ScimNames.get(patch, "Operations");
        if (!(operations instanceof ArrayNode array) || array.isEmpty()) {
            throw new PatchRefused("invalidSyntax", "Operations must be a non-empty array");
        }
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isObject()) {
                throw new PatchRefused("invalidSyntax", "Operations[" + i + "] must be an object");
            }
            type(ScimNames.get(array.get(i), "op"), "Operations[" + i + "]");
        }
        return array;
    }

    private static PatchOpType type(JsonNode op, String where) {
        String text = op == null || !op.isTextual() ? "" : op.asText().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "add" -> PatchOpType.ADD;
            case "replace" -> PatchOpType.REPLACE;
            case "remove" -> PatchOpType.REMOVE;
            default -> throw new PatchRefused("invalidSyntax", where + ".op must be add, replace or remove");
        };
    }

    private static Path path(JsonNode path, String where) {
        if (path == null || path.isNull()) {
            return null;
        }
        if (!path.isTextual() || path.asText().isBlank()) {
            throw new PatchRefused("invalidPath", where + ".path must be a non-empty string");
        }
        try {
            return Path.fromString(path.asText());
        } catch (ScimException | RuntimeException e) {
            throw new PatchRefused("invalidPath", where + ": '" + path.asText() + "' is not a valid path");
        }
    }

    /** Entra's members carry {@code "$ref": null}: left out, here and on the way to Genesys. */
    static JsonNode withoutNullRefs(JsonNode value) {
        JsonNode copy = value.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("$ref") && object.get("$ref").isNull()) {
                object.remove("$ref");
            }
            object.forEach(GroupPatch::strip);
        } else if (node instanceof ArrayNode array) {
            array.forEach(GroupPatch::strip);
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static <T extends JsonNode> T sdkTree(JsonNode node) {
        try {
            @SuppressWarnings("unchecked")
            T tree = (T) JsonUtils.getObjectReader().readTree(node.toString());
            return tree;
        } catch (JsonProcessingException e) {
            throw new PatchRefused("invalidValue", "the value cannot be read as JSON");
        }
    }
}
