package org.scimgate.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The User attributes scimgate knows, with their canonical spelling: RFC 7643 §4.1 (core), §4.3
 * (enterprise extension) and Genesys' own extension. A PATCH may target only these, and a user is
 * forwarded with their names spelled canonically, so that Genesys reads the attributes the policy read.
 */
public final class ScimSchema {

    public static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String ENTERPRISE = ScimUserReader.ENTERPRISE_EXTENSION;
    public static final String GENESYS = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User";

    /**
     * One attribute: {@code subAttributes} null means simple, empty means any (Genesys' own
     * extension is not described here beyond its names).
     */
    public record Attribute(String name, boolean multiValued, boolean readOnly, List<String> subAttributes) {

        public boolean complex() {
            return subAttributes != null;
        }

        /** The canonical name of a sub-attribute, null when this attribute has no such sub-attribute. */
        public String subAttribute(String sub) {
            if (subAttributes == null) {
                return null;
            }
            if (subAttributes.isEmpty()) {
                return sub;
            }
            return subAttributes.stream().filter(s -> s.equalsIgnoreCase(sub)).findFirst().orElse(null);
        }
    }

    private static final List<String> MULTI = List.of("value", "display", "type", "primary", "$ref");
    private static final Map<String, Map<String, Attribute>> SCHEMAS = new LinkedHashMap<>();

    static {
        Map<String, Attribute> core = schema(CORE);
        for (String simple : List.of("externalId", "userName", "displayName", "nickName", "profileUrl", "title",
                "userType", "preferredLanguage", "locale", "timezone", "active", "password")) {
            add(core, new Attribute(simple, false, false, null));
        }
        add(core, new Attribute("id", false, true, null));
        add(core, new Attribute("meta", false, true, List.of("resourceType", "created", "lastModified", "location",
                "version")));
        add(core, new Attribute("groups", true, true, MULTI));
        add(core, new Attribute("name", false, false, List.of("formatted", "familyName", "givenName", "middleName",
                "honorificPrefix", "honorificSuffix")));
        for (String multi : List.of("emails", "phoneNumbers", "ims", "photos", "entitlements", "roles",
                "x509Certificates")) {
            add(core, new Attribute(multi, true, false, MULTI));
        }
        add(core, new Attribute("addresses", true, false, List.of("formatted", "streetAddress", "locality", "region",
                "postalCode", "country", "type", "primary")));

        Map<String, Attribute> enterprise = schema(ENTERPRISE);
        for (String simple : List.of("employeeNumber", "costCenter", "organization", "division", "department")) {
            add(enterprise, new Attribute(simple, false, false, null));
        }
        add(enterprise, new Attribute("manager", false, false, List.of("value", "$ref", "displayName")));

        Map<String, Attribute> genesys = schema(GENESYS);
        for (String multi : List.of("routingSkills", "routingLanguages", "externalIds")) {
            add(genesys, new Attribute(multi, true, false, List.of()));
        }
    }

    private ScimSchema() {
    }

    private static Map<String, Attribute> schema(String urn) {
        return SCHEMAS.computeIfAbsent(urn.toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>());
    }

    private static void add(Map<String, Attribute> schema, Attribute attribute) {
        schema.put(attribute.name().toLowerCase(Locale.ROOT), attribute);
    }

    /** The canonical spelling of a known schema URN, null when unknown. */
    public static String schemaUrn(String urn) {
        if (urn == null) {
            return null;
        }
        return List.of(CORE, ENTERPRISE, GENESYS).stream().filter(u -> u.equalsIgnoreCase(urn)).findFirst().orElse(null);
    }

    /** An attribute of the schema {@code urn} (null: the core schema), or null when scimgate does not know it. */
    public static Attribute attribute(String urn, String name) {
        Map<String, Attribute> schema = SCHEMAS.get((urn == null ? CORE : urn).toLowerCase(Locale.ROOT));
        return schema == null || name == null ? null : schema.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * A copy of {@code user} whose known attributes, sub-attributes and extension URNs are spelled
     * canonically; unknown names are kept as they are. Duplicates must have been refused before
     * ({@link ScimNames#refuseDuplicates}), or one of two case variants would be lost.
     */
    public static ObjectNode canonicalNames(ObjectNode user) {
        ObjectNode copy = user.objectNode();
        user.properties().forEach(e -> {
            String urn = schemaUrn(e.getKey());
            if (urn != null && !urn.equals(CORE) && e.getValue() instanceof ObjectNode extension) {
                ObjectNode renamed = copy.putObject(urn);
                extension.properties().forEach(x -> renamed.set(canonical(urn, x.getKey()),
                        subAttributes(attribute(urn, x.getKey()), x.getValue())));
            } else {
                copy.set(canonical(null, e.getKey()), subAttributes(attribute(null, e.getKey()), e.getValue()));
            }
        });
        return copy;
    }

    private static String canonical(String urn, String name) {
        Attribute attribute = attribute(urn, name);
        return attribute == null ? name : attribute.name();
    }

    private static JsonNode subAttributes(Attribute attribute, JsonNode value) {
        if (attribute == null || !attribute.complex() || attribute.subAttributes().isEmpty()) {
            return value.deepCopy();
        }
        if (value instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(v -> copy.add(subAttributes(attribute, v)));
            return copy;
        }
        if (value instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            object.properties().forEach(e -> {
                String sub = attribute.subAttribute(e.getKey());
                copy.set(sub == null ? e.getKey() : sub, e.getValue().deepCopy());
            });
            return copy;
        }
        return value.deepCopy();
    }
}
