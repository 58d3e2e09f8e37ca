package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scimgate.scim.MalformedPayload;

/**
 * Applies an RFC 7644 PatchOp to a user, so that a PATCH is judged on the user as it would be
 * afterwards. Supports what identity providers send: {@code op} in any case (Entra writes
 * "Replace"), no path with an object value (Okta), attribute paths, sub-attributes, extension
 * URNs, and value filters of the form {@code emails[type eq "work"].value}.
 */
final class ScimPatch {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final Pattern FILTERED = Pattern.compile(
            "^([A-Za-z0-9_$-]+)\\[\\s*([A-Za-z0-9_$-]+)\\s+eq\\s+\"([^\"]*)\"\\s*](?:\\.([A-Za-z0-9_$-]+))?$");
    private static final String URN_PREFIX = "urn:";

    private ScimPatch() {
    }

    /** The user after the operations; {@code current} is left untouched. */
    static ObjectNode apply(JsonNode current, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new MalformedPayload("the body must be a SCIM PatchOp object");
        }
        JsonNode schemas = patch.get("schemas");
        if (schemas != null && schemas.isArray() && schemas.size() > 0) {
            boolean patchOp = false;
            for (JsonNode s : schemas) {
                patchOp |= PATCH_OP.equals(s.asText());
            }
            if (!patchOp) {
                throw new MalformedPayload("schemas must include " + PATCH_OP);
            }
        }
        JsonNode operations = patch.has("Operations") ? patch.get("Operations") : patch.get("operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw new MalformedPayload("Operations must be a non-empty array");
        }
        ObjectNode user = current.isObject() ? ((ObjectNode) current).deepCopy() : JsonNodeFactory.instance.objectNode();
        for (JsonNode operation : operations) {
            applyOne(user, operation);
        }
        return user;
    }

    private static void applyOne(ObjectNode user, JsonNode operation) {
        String op = operation.path("op").asText("").toLowerCase(Locale.ROOT);
        if (!op.equals("add") && !op.equals("replace") && !op.equals("remove")) {
            throw new MalformedPayload("op must be add, replace or remove, not '" + operation.path("op").asText("") + "'");
        }
        String path = operation.hasNonNull("path") ? operation.get("path").asText() : null;
        JsonNode value = normalise(operation.get("value"));
        if (path == null || path.isBlank()) {
            if (op.equals("remove")) {
                throw new MalformedPayload("remove needs a path");
            }
            if (value == null || !value.isObject()) {
                throw new MalformedPayload("an operation without a path needs an object value");
            }
            value.fields().forEachRemaining(e -> setPath(user, e.getKey(), normalise(e.getValue()), op));
            return;
        }
        if (op.equals("remove")) {
            removePath(user, path);
        } else {
            if (value == null) {
                throw new MalformedPayload(op + " of " + path + " needs a value");
            }
            setPath(user, path, value, op);
        }
    }

    private static void setPath(ObjectNode user, String path, JsonNode value, String op) {
        Matcher filtered = FILTERED.matcher(path);
        if (filtered.matches()) {
            ArrayNode array = array(user, filtered.group(1));
            String sub = filtered.group(4);
            ObjectNode match = find(array, filtered.group(2), filtered.group(3));
            if (match == null) {
                match = array.addObject();
                match.put(filtered.group(2), filtered.group(3));
            }
            if (sub != null) {
                match.set(sub, value);
            } else if (value.isObject()) {
                match.setAll((ObjectNode) value);
            }
            return;
        }
        ObjectNode target = user;
        String attribute = path;
        if (path.startsWith(URN_PREFIX)) {
            int colon = path.lastIndexOf(':');
            String urn = path.substring(0, colon);
            if (urn.endsWith(":User") || urn.endsWith(":Group")) {
                target = user.withObjectProperty(urn);
                attribute = path.substring(colon + 1);
            } else {
                target = user;
                attribute = path;
            }
        }
        int dot = attribute.indexOf('.');
        if (dot > 0) {
            target = target.withObjectProperty(attribute.substring(0, dot));
            attribute = attribute.substring(dot + 1);
        }
        JsonNode existing = target.get(attribute);
        if (op.equals("add") && existing != null && existing.isArray() && value.isArray()) {
            ((ArrayNode) existing).addAll((ArrayNode) value);
        } else if (op.equals("add") && existing != null && existing.isObject() && value.isObject()) {
            ((ObjectNode) existing).setAll((ObjectNode) value);
        } else {
            target.set(attribute, value);
        }
    }

    private static void removePath(ObjectNode user, String path) {
        Matcher filtered = FILTERED.matcher(path);
        if (filtered.matches()) {
            JsonNode array = user.get(filtered.group(1));
            if (array != null && array.isArray()) {
                Iterator<JsonNode> it = array.iterator();
                while (it.hasNext()) {
                    JsonNode element = it.next();
                    if (filtered.group(3).equals(element.path(filtered.group(2)).asText(null))) {
                        if (filtered.group(4) == null) {
                            it.remove();
                        } else if (element instanceof ObjectNode object) {
                            object.remove(filtered.group(4));
                        }
                    }
                }
            }
            return;
        }
        if (path.startsWith(URN_PREFIX)) {
            int colon = path.lastIndexOf(':');
            JsonNode extension = user.get(path.substring(0, colon));
            if (extension instanceof ObjectNode object) {
                object.remove(path.substring(colon + 1));
            }
            return;
        }
        int dot = path.indexOf('.');
        if (dot > 0) {
            JsonNode parent = user.get(path.substring(0, dot));
            if (parent instanceof ObjectNode object) {
                object.remove(path.substring(dot + 1));
            }
        } else {
            user.remove(path);
        }
    }

    private static ArrayNode array(ObjectNode user, String name) {
        JsonNode existing = user.get(name);
        if (existing instanceof ArrayNode array) {
            return array;
        }
        return user.putArray(name);
    }

    private static ObjectNode find(ArrayNode array, String attribute, String value) {
        for (JsonNode element : array) {
            if (element instanceof ObjectNode object && value.equals(object.path(attribute).asText(null))) {
                return object;
            }
        }
        return null;
    }

    /** Entra sends booleans as the strings "True" and "False". */
    private static JsonNode normalise(JsonNode value) {
        if (value != null && value.isTextual()) {
            String text = value.asText();
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return BooleanNode.valueOf(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
            }
        }
        return value;
    }
}
