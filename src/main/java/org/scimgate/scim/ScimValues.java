package org.scimgate.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The value of one attribute checked against its {@link ScimSchema.Attribute}: a copy with only the
 * sub-attributes scimgate knows, spelled canonically, or a {@link MalformedPayload} naming where the
 * type is wrong. Strings are strings, {@code active} and {@code primary} are booleans, a complex
 * attribute is an object and a multi-valued one an array of objects; null means unassigned.
 */
final class ScimValues {

    private ScimValues() {
    }

    /** The checked copy of {@code value}; null when it is unassigned. */
    static JsonNode of(ScimSchema.Attribute attribute, JsonNode value, String where) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (attribute.multiValued()) {
            if (!value.isArray()) {
                throw new MalformedPayload(where + " must be an array of "
                        + (attribute.name().equals("emails") ? "email objects" : "objects") + ", not "
                        + ScimUserReader.describe(value));
            }
            ArrayNode values = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < value.size(); i++) {
                JsonNode element = value.get(i);
                if (!element.isObject()) {
                    throw new MalformedPayload(where + "[" + i + "] must be an object with a value, not "
                            + ScimUserReader.describe(element));
                }
                values.add(complex(attribute, element, where + "[" + i + "]"));
            }
            return values;
        }
        if (attribute.complex()) {
            if (!value.isObject()) {
                throw new MalformedPayload(where + " must be an object, not " + ScimUserReader.describe(value));
            }
            return complex(attribute, value, where);
        }
        return simple(attribute.name(), value, where);
    }

    private static ObjectNode complex(ScimSchema.Attribute attribute, JsonNode value, String where) {
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        value.properties().forEach(e -> {
            String sub = attribute.subAttribute(e.getKey());
            JsonNode v = e.getValue();
            if (sub == null || v.isNull()) {
                return;
            }
            if (attribute.subAttributes().isEmpty()) {
                // An extension scimgate knows only by name (Genesys' routing skills): scalar members as sent.
                if (!v.isValueNode()) {
                    throw new MalformedPayload(where + "." + e.getKey() + " must be a string, number or boolean, not "
                            + ScimUserReader.describe(v));
                }
                copy.set(sub, v.deepCopy());
            } else {
                copy.set(sub, simple(sub, v, where + "." + e.getKey()));
            }
        });
        return copy;
    }

    /** A simple value: {@code active} and {@code primary} are booleans, everything else a string. */
    static JsonNode simple(String name, JsonNode value, String where) {
        if (name.equals("active") || name.equals("primary")) {
            if (!value.isBoolean()) {
                throw new MalformedPayload(where + " must be true or false, not " + ScimUserReader.describe(value));
            }
            return value;
        }
        if (!value.isTextual()) {
            throw new MalformedPayload(where + " must be a string, not " + ScimUserReader.describe(value));
        }
        return value;
    }
}
