package org.scimgate.scim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The User attributes scimgate knows, with their canonical spelling: RFC 7643 §4.1 (core), §4.3
 * (enterprise extension) and Genesys' own extension. A PATCH may target only these, and a user is
 * judged and forwarded with only these, spelled canonically ({@link ScimDocument}), so that Genesys
 * reads the attributes the policy read. An attribute Genesys stores that is missing here is left out
 * of what scimgate forwards: add it here (with its type) to pass it on.
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
        // dateHire is not RFC 7643's, but Genesys reads it from this extension.
        for (String simple : List.of("employeeNumber", "costCenter", "organization", "division", "department",
                "dateHire")) {
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
}
