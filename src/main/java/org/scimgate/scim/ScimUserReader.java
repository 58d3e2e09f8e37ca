package org.scimgate.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a SCIM user from JSON as identity providers send it, in two steps that every caller shares:
 * the JSON is normalised ({@link ScimDocument}: known attributes only, canonically spelled, where
 * RFC 7643 puts them, with their types), then the fact the rules judge is read from that document.
 * Accepts the tutorial's top-level {@code department} and {@code costCenter} and the RFC 7643
 * enterprise extension object; when both are present the extension wins. Attribute names and the
 * extension URN are matched case-insensitively (RFC 7643 §2.1), and an attribute named twice is
 * refused ({@link DuplicateAttribute}). Anything that is not a readable SCIM user is a
 * {@link MalformedPayload} naming the field, never an exception from deep inside a parser.
 */
public final class ScimUserReader {

    public static final String ENTERPRISE_EXTENSION =
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /** More emails than any person has; a longer array is refused before it is evaluated. */
    public static final int MAX_EMAILS = 50;
    /** The longest string attribute read; SCIM attributes are names and addresses, not documents. */
    public static final int MAX_STRING_LENGTH = 2048;

    private ScimUserReader() {
    }

    public static ScimUser read(JsonNode node, String path) {
        return NormalisedUser.read(node, path).user();
    }

    /** {@code node} checked to be an object, then normalised ({@link ScimDocument}). */
    static ObjectNode normalise(JsonNode node, String path) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new MalformedPayload(path + " is required and must be a SCIM user object");
        }
        if (!node.isObject()) {
            throw new MalformedPayload(path + " must be a SCIM user object, not " + describe(node));
        }
        return ScimDocument.normalise(node, path);
    }

    /** The fact read from a normalised document, whose names are canonical and whose values have their types. */
    static ScimUser fromDocument(ObjectNode document, String path) {
        JsonNode extension = document.get(ENTERPRISE_EXTENSION);
        String extensionPath = path + "." + ENTERPRISE_EXTENSION;
        return new ScimUser(
                text(document, "id", path),
                text(document, "externalId", path),
                text(document, "userName", path),
                text(document, "displayName", path),
                emails(document.get("emails"), path + ".emails"),
                text(extension, "department", extensionPath),
                text(extension, "costCenter", extensionPath),
                text(extension, "division", extensionPath),
                text(extension, "organization", extensionPath),
                text(extension, "employeeNumber", extensionPath),
                bool(document, "active", path));
    }

    private static List<Email> emails(JsonNode emails, String path) {
        if (emails == null || emails.isNull()) {
            return List.of();
        }
        if (!emails.isArray()) {
            throw new MalformedPayload(path + " must be an array of email objects, not " + describe(emails));
        }
        if (emails.size() > MAX_EMAILS) {
            throw new MalformedPayload(path + " has " + emails.size() + " entries; at most " + MAX_EMAILS + " are accepted");
        }
        List<Email> result = new ArrayList<>(emails.size());
        for (int i = 0; i < emails.size(); i++) {
            JsonNode entry = emails.get(i);
            String entryPath = path + "[" + i + "]";
            if (!entry.isObject()) {
                throw new MalformedPayload(entryPath + " must be an object with a value, not " + describe(entry));
            }
            Boolean primary = bool(entry, "primary", entryPath);
            result.add(new Email(i, text(entry, "value", entryPath), text(entry, "type", entryPath),
                    Boolean.TRUE.equals(primary)));
        }
        return result;
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode value = ScimNames.get(node, field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedPayload(path + "." + field + " must be a string, not " + describe(value));
        }
        if (value.textValue().length() > MAX_STRING_LENGTH) {
            throw new MalformedPayload(path + "." + field + " is longer than " + MAX_STRING_LENGTH + " characters");
        }
        return value.textValue();
    }

    private static Boolean bool(JsonNode node, String field, String path) {
        JsonNode value = ScimNames.get(node, field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new MalformedPayload(path + "." + field + " must be true or false, not " + describe(value));
        }
        return value.booleanValue();
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
