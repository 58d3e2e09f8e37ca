package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.scimgate.audit.ForwardedGroupWrites;
import org.scimgate.scim.ScimNames;
import org.springframework.stereotype.Component;

/**
 * The groups this gateway (any instance on the database) put a user in during the last
 * {@code scimgate.gateway.membership-memory}, from the audit's {@code FORWARDED} rows: Genesys may
 * answer the read of a user without a membership it accepted a moment ago, and a second add judged
 * on that read alone would let a conflicting pair through. A later forwarded removal takes the group
 * out again. Counting a group the user has since left refuses too much for a while, never too little.
 */
@Component
class RecentJoins {

    private final ForwardedGroupWrites writes;
    private final GatewaySettings settings;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    RecentJoins(ForwardedGroupWrites writes, GatewaySettings settings, ObjectMapper json) {
        this.writes = writes;
        this.settings = settings;
        this.json = json;
    }

    /**
     * The display names of the groups {@code userId} joined through a recent forwarded write and
     * did not leave again, except {@code groupId}; {@code nameOf} gives the name of a group by id
     * when neither the write nor Genesys' answer to it did.
     */
    Set<String> of(String userId, String groupId, Function<String, String> nameOf) {
        if (settings.membershipMemory().isZero()) {
            return Set.of();
        }
        Map<String, String> joined = new LinkedHashMap<>(); // group id (or name for a create) -> name
        for (ForwardedGroupWrites.Write write : writes.since(clock.instant().minus(settings.membershipMemory()),
                userId)) {
            JsonNode payload = tree(write.payload());
            JsonNode answer = tree(write.answer());
            if (!(payload instanceof ObjectNode sent)) {
                continue;
            }
            String[] operation = write.operation().split(" ", 2);
            String id = operation[1].startsWith("/Groups/") ? operation[1].substring("/Groups/".length())
                    : text(answer == null ? null : ScimNames.get(answer, "id"));
            Boolean member = operation[0].equals("PATCH") ? patched(sent, userId)
                    : GroupChange.members(sent).contains(userId);
            if (member == null) {
                continue;
            }
            String name = answer == null ? null : text(ScimNames.get(answer, "displayName"));
            name = name != null ? name : text(ScimNames.get(sent, "displayName"));
            String key = id != null ? id : name;
            if (key == null) {
                continue;
            }
            if (member) {
                joined.put(key, name);
            } else {
                joined.remove(key);
            }
        }
        joined.remove(groupId);
        Set<String> names = new LinkedHashSet<>();
        joined.forEach((id, name) -> names.add(name != null ? name : nameOf.apply(id)));
        return names;
    }

    /** Whether the PATCH leaves the user in the group (true), takes it out (false), or does not touch it (null). */
    private Boolean patched(ObjectNode patch, String userId) {
        try {
            if (GroupChange.members(GroupPatch.apply(group(), patch)).contains(userId)) {
                return true;
            }
            ObjectNode was = group();
            was.putArray("members").addObject().put("value", userId);
            return GroupChange.members(GroupPatch.apply(was, patch)).contains(userId) ? null : false;
        } catch (PatchRefused e) {
            return null;
        }
    }

    private ObjectNode group() {
        ObjectNode group = json.createObjectNode();
        group.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
        group.putArray("members");
        return group;
    }

    private JsonNode tree(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
