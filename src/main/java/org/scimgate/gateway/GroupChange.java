package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.scimgate.scim.ScimNames;

/**
 * Who a group write adds and removes, read from the group before it (Genesys' copy; null for a
 * create) and after it (the body of a PUT or POST, or the PATCH applied). A rename counts every
 * member after it as joining: being in a group under its new name is new access.
 */
record GroupChange(String groupId, String displayName, String previousName, Set<String> added, Set<String> removed) {

    GroupChange {
        added = Set.copyOf(added);
        removed = Set.copyOf(removed);
    }

    static GroupChange of(String groupId, JsonNode before, JsonNode after) {
        Set<String> was = before == null ? Set.of() : members(before);
        Set<String> now = members(after);
        String name = text(ScimNames.get(after, "displayName"));
        String previous = before == null ? null : text(ScimNames.get(before, "displayName"));
        if (name == null) {
            name = previous;
        }
        boolean renamed = previous != null && name != null
                && !previous.strip().toLowerCase(Locale.ROOT).equals(name.strip().toLowerCase(Locale.ROOT));
        Set<String> added = new LinkedHashSet<>(now);
        if (!renamed) {
            added.removeAll(was);
        }
        Set<String> removed = new LinkedHashSet<>(was);
        removed.removeAll(now);
        return new GroupChange(groupId, name, previous, added, removed);
    }

    /** Whether the write changes who is in the group (or what the group is called): a decision. */
    boolean changesMembership() {
        return !added.isEmpty() || !removed.isEmpty();
    }

    /** The member ids of a group document, refused when a member has no value. */
    static Set<String> members(JsonNode group) {
        JsonNode members = group == null ? null : ScimNames.get(group, "members");
        Set<String> ids = new LinkedHashSet<>();
        if (members == null || members.isNull()) {
            return ids;
        }
        if (!members.isArray()) {
            throw new PatchRefused("invalidValue", "members must be an array of {\"value\": \"<user id>\"}");
        }
        for (JsonNode member : members) {
            String id = member.isObject() ? text(ScimNames.get(member, "value")) : null;
            if (id == null) {
                throw new PatchRefused("invalidValue", "each member needs a value: the id of a user");
            }
            ids.add(id);
        }
        return ids;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
