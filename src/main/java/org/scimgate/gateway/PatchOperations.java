package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.PatchOpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scimgate.scim.DuplicateAttribute;
import org.scimgate.scim.ScimNames;
import org.scimgate.scim.ScimSchema;

/**
 * Reads an RFC 7644 PatchOp body into operations whose path is parsed (by the UnboundID/Ping SCIM 2
 * SDK) and names an attribute scimgate knows. What identity providers send is normalised first:
 * {@code op} in any case (Entra writes "Replace"), Entra's {@code "True"}/{@code "False"} for
 * {@code active} and {@code primary}, and an operation without a path split into one operation per
 * attribute of its value, so that {@code {"urn:…:enterprise:2.0:User:department": …}} is the
 * department. Anything else is a {@link PatchRefused} with its RFC 7644 {@code scimType}.
 */
final class PatchOperations {

    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /** One operation to apply: {@code value} is null for a remove. */
    record Operation(PatchOpType type, String text, Path path, JsonNode value) {
    }

    private PatchOperations() {
    }

    static List<Operation> read(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new PatchRefused("invalidSyntax", "the body must be a SCIM PatchOp object");
        }
        try {
            ScimNames.refuseDuplicates(patch, "the PatchOp");
        } catch (DuplicateAttribute e) {
            throw new PatchRefused("invalidSyntax", e.detail());
        }
        JsonNode schemas = ScimNames.get(patch, "schemas");
        if (schemas != null && schemas.isArray() && !schemas.isEmpty()) {
            boolean patchOp = false;
            for (JsonNode s : schemas) {
                patchOp |= PATCH_OP.equalsIgnoreCase(s.asText());
            }
            if (!patchOp) {
                throw new PatchRefused("invalidSyntax", "schemas must include " + PATCH_OP);
            }
        }
        JsonNode operations = ScimNames.get(patch, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw new PatchRefused("invalidSyntax", "Operations must be a non-empty array");
        }
        List<Operation> result = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            read(operations.get(i), "Operations[" + i + "]", result);
        }
        return result;
    }

    private static void read(JsonNode operation, String where, List<Operation> result) {
        if (!operation.isObject()) {
            throw new PatchRefused("invalidSyntax", where + " must be an object");
        }
        PatchOpType type = type(ScimNames.get(operation, "op"), where);
        JsonNode path = ScimNames.get(operation, "path");
        JsonNode value = ScimNames.get(operation, "value");
        if (path != null && !path.isNull() && !path.isTextual()) {
            throw new PatchRefused("invalidPath", where + ".path must be a string");
        }
        if (path == null || path.isNull()) {
            if (type == PatchOpType.REMOVE) {
                throw new PatchRefused("noTarget", where + ": remove needs a path");
            }
            if (value == null || !value.isObject()) {
                throw new PatchRefused("invalidValue", where + ": an operation without a path needs an object value");
            }
            for (Map.Entry<String, JsonNode> attribute : value.properties()) {
                String urn = ScimSchema.schemaUrn(attribute.getKey());
                if (attribute.getKey().equalsIgnoreCase("schemas")) {
                    continue; // the schemas of the result follow from its attributes
                }
                if (urn != null && attribute.getValue() instanceof ObjectNode extension) {
                    extension.properties().forEach(e -> result.add(operation(type, urn + ":" + e.getKey(), e.getValue(), where)));
                } else {
                    result.add(operation(type, attribute.getKey(), attribute.getValue(), where));
                }
            }
            return;
        }
        if (type != PatchOpType.REMOVE && (value == null || value.isNull())) {
            throw new PatchRefused("invalidSyntax", where + ": " + type.getStringValue() + " of " + path.asText()
                    + " needs a value");
        }
        result.add(operation(type, path.asText(), type == PatchOpType.REMOVE ? null : value, where));
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

    private static Operation operation(PatchOpType type, String text, JsonNode value, String where) {
        Path path = parse(text, where);
        String last = path.size() == 0 ? null : path.getLastElement().getAttribute();
        return new Operation(type, text, path, value == null ? null : entraBooleans(last, value.deepCopy()));
    }

    /** The parsed path, refused unless it names a known, writable attribute and at most one sub-attribute. */
    static Path parse(String text, String where) {
        if (text.isBlank()) {
            throw new PatchRefused("invalidPath", where + ": the path is empty");
        }
        int open = text.indexOf('[');
        if (open >= 0) {
            int close = text.lastIndexOf(']');
            if (close < open) {
                throw new PatchRefused("invalidFilter", where + ": the filter in '" + text + "' is not closed");
            }
            try {
                Filter.fromString(text.substring(open + 1, close));
            } catch (BadRequestException e) {
                throw new PatchRefused("invalidFilter", where + ": the filter in '" + text + "' is not valid: "
                        + firstLine(e.getMessage()));
            } catch (RuntimeException e) {
                throw new PatchRefused("invalidFilter", where + ": the filter in '" + text + "' is not valid");
            }
        }
        Path path;
        try {
            path = Path.fromString(text);
        } catch (BadRequestException e) {
            throw new PatchRefused("invalidPath", where + ": '" + text + "' is not a valid path: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw new PatchRefused("invalidPath", where + ": '" + text + "' is not a valid path");
        }
        checkTarget(path, text, where);
        return coreUnqualified(path);
    }

    /**
     * The path without the core schema's URN, which means the core attribute (RFC 7644 §3.10): the
     * SDK would otherwise write {@code urn:…:core:2.0:User:userName} into an object of that name and
     * leave {@code userName} as it was.
     */
    private static Path coreUnqualified(Path path) {
        if (path.getSchemaUrn() == null || !ScimSchema.CORE.equalsIgnoreCase(path.getSchemaUrn())) {
            return path;
        }
        Path unqualified = Path.root();
        for (Path.Element element : path) {
            unqualified = unqualified.attribute(element.getAttribute(), element.getValueFilter());
        }
        return unqualified;
    }

    private static void checkTarget(Path path, String text, String where) {
        String urn = path.getSchemaUrn();
        String schema = urn == null ? null : ScimSchema.schemaUrn(urn);
        if (urn != null && schema == null) {
            throw new PatchRefused("invalidPath", where + ": '" + text + "' names a schema scimgate does not know");
        }
        if (path.size() == 0 || path.size() > 2) {
            throw new PatchRefused("invalidPath", where + ": '" + text + "' must name an attribute and at most one sub-attribute");
        }
        Path.Element first = path.getElement(0);
        ScimSchema.Attribute attribute = ScimSchema.attribute(schema, first.getAttribute());
        if (attribute == null) {
            throw new PatchRefused("invalidPath", where + ": '" + text + "' is not a User attribute scimgate knows");
        }
        if (attribute.readOnly()) {
            throw new PatchRefused("mutability", where + ": " + attribute.name() + " is read-only");
        }
        if (first.getValueFilter() != null && !attribute.multiValued()) {
            throw new PatchRefused("invalidPath", where + ": '" + text + "' filters " + attribute.name()
                    + ", which is single-valued");
        }
        if (path.size() == 2) {
            Path.Element second = path.getElement(1);
            if (second.getValueFilter() != null || attribute.subAttribute(second.getAttribute()) == null) {
                throw new PatchRefused("invalidPath", where + ": '" + text + "' is not a sub-attribute of "
                        + attribute.name() + " scimgate knows");
            }
        }
    }

    /** Entra sends the booleans active and primary as the strings "True" and "False". */
    private static JsonNode entraBooleans(String attribute, JsonNode value) {
        if (value.isTextual() && attribute != null && isBooleanAttribute(attribute)) {
            String text = value.asText();
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return BooleanNode.valueOf(text.equalsIgnoreCase("true"));
            }
        }
        if (value instanceof ObjectNode object) {
            object.properties().forEach(e -> e.setValue(entraBooleans(e.getKey(), e.getValue())));
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, entraBooleans(attribute, array.get(i)));
            }
        }
        return value;
    }

    private static boolean isBooleanAttribute(String name) {
        return name.equalsIgnoreCase("active") || name.equalsIgnoreCase("primary");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        int source = line.indexOf(" (for ");
        return source < 0 ? line : line.substring(0, source);
    }
}
