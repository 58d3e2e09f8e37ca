package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user body read as a SCIM server that honours every spelling RFC 7643/7644 allows might read it,
 * written apart from scimgate's reader: names in any case, core attributes at the top, in the core
 * schema's object or as flat URN-qualified keys, enterprise attributes in their object or as flat
 * keys. What Genesys maps (the login, work emails, department) must come from exactly one place.
 */
record GenesysView(String login, List<String> workEmails, List<String> primaryEmails, String department) {

    private static final String CORE = JudgedWrites.CORE;
    private static final String ENTERPRISE = JudgedWrites.ENTERPRISE;

    static GenesysView of(JsonNode user, String context) {
        JsonNode login = one(user, context, "userName", get(user, "userName"), get(get(user, CORE), "userName"),
                get(user, CORE + ":userName"));
        JsonNode emails = one(user, context, "emails", get(user, "emails"), get(get(user, CORE), "emails"),
                get(user, CORE + ":emails"));
        JsonNode department = one(user, context, "department", get(get(user, ENTERPRISE), "department"),
                get(user, ENTERPRISE + ":department"));
        List<String> work = new ArrayList<>();
        List<String> primary = new ArrayList<>();
        if (emails != null) {
            assertThat(emails.isArray()).as("%s: emails is an array", context).isTrue();
            for (JsonNode email : emails) {
                JsonNode type = get(email, "type");
                JsonNode value = get(email, "value");
                if (value != null && type != null && type.asText().strip().equalsIgnoreCase("work")) {
                    work.add(value.asText());
                }
                JsonNode isPrimary = get(email, "primary");
                if (value != null && isPrimary != null && isPrimary.asBoolean()) {
                    primary.add(value.asText());
                }
            }
        }
        return new GenesysView(login == null ? null : login.asText(), work, primary,
                department == null ? null : department.asText());
    }

    /** The one place {@code name} is given; finding it in two is a failure, whatever the values. */
    private static JsonNode one(JsonNode user, String context, String name, JsonNode... places) {
        JsonNode found = null;
        for (JsonNode place : places) {
            if (place != null && !place.isNull()) {
                assertThat(found).as("%s: %s is given in two places in %s", context, name, user).isNull();
                found = place;
            }
        }
        return found;
    }

    private static JsonNode get(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode found = null;
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                assertThat(found).as("%s spelled twice in %s", name, object).isNull();
                found = e.getValue();
            }
        }
        return found;
    }
}
