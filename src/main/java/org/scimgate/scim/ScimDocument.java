package org.scimgate.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A SCIM user rebuilt from what scimgate understands of it, and nothing else: the document the
 * policy judges and the gateway forwards. Every attribute is one of {@link ScimSchema}'s, spelled
 * canonically, where RFC 7643 puts it, with a value of its type:
 * <ul>
 *   <li>a schema-URN-qualified name means the attribute it names: the core schema's object
 *       ({@code "urn:…:core:2.0:User": {"userName": …}}) and a flat key ({@code "urn:…:core:2.0:User:userName"},
 *       {@code "urn:…:enterprise:2.0:User:department"}) are the same attributes as {@code userName} and
 *       the enterprise object's {@code department};</li>
 *   <li>an attribute named twice, in any of those ways, is refused ({@link DuplicateAttribute});</li>
 *   <li>a value of the wrong type for its attribute is refused ({@link MalformedPayload});</li>
 *   <li>the tutorial's top-level {@code department} and {@code costCenter} move into the enterprise
 *       extension, where Genesys reads them, unless the extension has its own;</li>
 *   <li>anything else (attributes, sub-attributes and schemas scimgate does not know, and null
 *       values, which RFC 7643 §2.5 calls unassigned) is left out.</li>
 * </ul>
 * Normalising a normalised document gives it back unchanged.
 */
final class ScimDocument {

    /** The tutorial's top-level fields, read as the enterprise extension's. */
    private static final String[] TUTORIAL_FIELDS = {"department", "costCenter"};

    private final String path;
    private final Map<String, Map<String, JsonNode>> bySchema = new LinkedHashMap<>();
    private final Map<String, String> writtenAs = new LinkedHashMap<>();
    private final Map<String, JsonNode> tutorial = new LinkedHashMap<>();
    private ArrayNode schemas;

    private ScimDocument(String path) {
        this.path = path;
        bySchema.put(ScimSchema.CORE, new LinkedHashMap<>());
    }

    /** {@code user}, an object, as scimgate understands it; {@code path} names it in error messages. */
    static ObjectNode normalise(JsonNode user, String path) {
        ScimNames.refuseDuplicates(user, path);
        ScimDocument document = new ScimDocument(path);
        user.properties().forEach(e -> document.member(e.getKey(), e.getValue(), false));
        return document.build();
    }

    private void member(String key, JsonNode value, boolean inCoreObject) {
        String written = inCoreObject ? ScimSchema.CORE + "." + key : key;
        if (key.equalsIgnoreCase("schemas") && !inCoreObject) {
            schemas(value);
            return;
        }
        String urn = ScimSchema.schemaUrn(key);
        if (urn != null) {
            if (inCoreObject || value == null || value.isNull()) {
                return;
            }
            if (!value.isObject()) {
                throw new MalformedPayload(path + "." + key + " must be an object, not " + ScimUserReader.describe(value));
            }
            if (urn.equals(ScimSchema.CORE)) {
                value.properties().forEach(e -> member(e.getKey(), e.getValue(), true));
            } else {
                value.properties().forEach(e -> attribute(urn, e.getKey(), e.getValue(), key + "." + e.getKey()));
            }
            return;
        }
        String[] qualified = qualified(key);
        if (qualified != null) {
            attribute(qualified[0], qualified[1], value, written);
            return;
        }
        for (String field : TUTORIAL_FIELDS) {
            if (field.equalsIgnoreCase(key)) {
                assign(ScimSchema.CORE, field, written);
                if (value != null && !value.isNull()) {
                    tutorial.put(field, ScimValues.simple(field, value, path + "." + written));
                }
                return;
            }
        }
        attribute(ScimSchema.CORE, key, value, written);
    }

    /** A key {@code <known schema URN>:<attribute>}, as {urn, attribute}; null for any other key. */
    private static String[] qualified(String key) {
        for (String urn : new String[] {ScimSchema.CORE, ScimSchema.ENTERPRISE, ScimSchema.GENESYS}) {
            if (key.length() > urn.length() + 1 && key.regionMatches(true, 0, urn, 0, urn.length())
                    && key.charAt(urn.length()) == ':') {
                return new String[] {urn, key.substring(urn.length() + 1)};
            }
        }
        return null;
    }

    /** {@code name} (an attribute, or {@code attribute.sub}) of schema {@code urn} set to {@code value}. */
    private void attribute(String urn, String name, JsonNode value, String written) {
        int dot = name.indexOf('.');
        ScimSchema.Attribute attribute = ScimSchema.attribute(urn, dot < 0 ? name : name.substring(0, dot));
        if (attribute == null) {
            return; // not an attribute scimgate knows: left out
        }
        Map<String, JsonNode> attributes = bySchema.computeIfAbsent(urn, k -> new LinkedHashMap<>());
        if (dot < 0) {
            assign(urn, attribute.name(), written);
            attributes.put(attribute.name(), value);
            return;
        }
        String sub = attribute.subAttribute(name.substring(dot + 1));
        if (sub == null || attribute.multiValued() || attribute.subAttributes().isEmpty()) {
            return; // not a sub-attribute one value can be set on
        }
        assign(urn, attribute.name() + "." + sub, written);
        ObjectNode holder = (ObjectNode) attributes.computeIfAbsent(attribute.name(), k -> JsonNodeFactory.instance.objectNode());
        holder.set(sub, value);
    }

    /** Records that {@code name} of {@code urn} was set by the key {@code written}; refuses a second setting. */
    private void assign(String urn, String name, String written) {
        String lower = (urn + ":" + name).toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> earlier : writtenAs.entrySet()) {
            String other = earlier.getKey();
            if (other.equals(lower) || other.startsWith(lower + ".") || lower.startsWith(other + ".")) {
                throw new DuplicateAttribute(path + " names " + name + " twice (as '" + earlier.getValue() + "' and '"
                        + written + "'); which one counts would be up to the reader");
            }
        }
        writtenAs.put(lower, written);
    }

    private void schemas(JsonNode value) {
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isArray()) {
            throw new MalformedPayload(path + ".schemas must be an array of schema URNs, not " + ScimUserReader.describe(value));
        }
        schemas = JsonNodeFactory.instance.arrayNode();
        Set<String> known = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new MalformedPayload(path + ".schemas[" + i + "] must be a string, not "
                        + ScimUserReader.describe(value.get(i)));
            }
            String urn = ScimSchema.schemaUrn(value.get(i).textValue());
            if (urn != null && known.add(urn)) {
                schemas.add(urn);
            }
        }
    }

    private ObjectNode build() {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        if (schemas != null) {
            document.set("schemas", schemas);
        }
        tutorial.forEach((field, value) -> bySchema.computeIfAbsent(ScimSchema.ENTERPRISE, k -> new LinkedHashMap<>())
                .putIfAbsent(field, value));
        bySchema.forEach((urn, attributes) -> {
            ObjectNode holder = urn.equals(ScimSchema.CORE) ? document : JsonNodeFactory.instance.objectNode();
            attributes.forEach((name, value) -> {
                JsonNode typed = ScimValues.of(ScimSchema.attribute(urn, name), value, path + "." + writtenAs
                        .getOrDefault((urn + ":" + name).toLowerCase(Locale.ROOT), name));
                if (typed != null) {
                    holder.set(name, typed);
                }
            });
            if (holder != document && !holder.isEmpty()) {
                document.set(urn, holder);
            }
        });
        return document;
    }
}
