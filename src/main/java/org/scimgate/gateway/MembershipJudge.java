package org.scimgate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scimgate.decision.Decisions;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.genesys.GenesysUnavailable;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.Membership;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.PolicyViolation;
import org.scimgate.scim.ExactJson;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.NormalisedUser;
import org.scimgate.scim.ScimNames;
import org.scimgate.scim.ScimUser;
import org.springframework.stereotype.Component;

/**
 * Judges who a group write adds: for each user joining, the rules see the user as Genesys holds it
 * ({@code GET /users/{id}}), the group, and every group the user would be in afterwards (the user's
 * read-only {@code groups} in Genesys, with this change applied). Removals are not judged: taking
 * access away is always allowed. When Genesys cannot say who the user is or which groups it is in,
 * the write is refused ({@value #UNKNOWN}): nothing goes through unjudged.
 */
@Component
class MembershipJudge {

    /** The code of a membership refused because Genesys could not say which groups the user is in. */
    static final String UNKNOWN = "ACCESS_MEMBERSHIPS_UNKNOWN";

    private final Decisions decisions;
    private final GenesysScim genesys;
    private final ObjectMapper json;
    private final RecentJoins recent;

    MembershipJudge(Decisions decisions, GenesysScim genesys, ObjectMapper json, RecentJoins recent) {
        this.recent = recent;
        this.decisions = decisions;
        this.genesys = genesys;
        this.json = json;
    }

    /**
     * What the rules made of the users {@code change} adds: one evaluation for them all (its
     * violations name the member at fault in their field), the user the row is about (the first
     * refused, else the first judged) and the memberships judged. The evaluation is null when no
     * one joins.
     */
    record Verdict(Evaluation evaluation, ScimUser user, List<Membership> memberships) {

        boolean refused() {
            return evaluation != null && !evaluation.compliant();
        }
    }

    Verdict judge(GroupChange change) {
        if (change.added().isEmpty()) {
            return new Verdict(null, null, List.of());
        }
        if (change.displayName() == null) {
            return unknown("the group's displayName is not known, so access rules cannot judge who joins it", null);
        }
        Map<String, String> groupNames = new HashMap<>();
        List<PolicyViolation> violations = new ArrayList<>();
        Set<String> fired = new LinkedHashSet<>();
        Map<String, PolicyRule> metadata = new LinkedHashMap<>();
        List<Membership> memberships = new ArrayList<>();
        Evaluation first = null;
        ScimUser about = null;
        ScimUser refusedUser = null;
        for (String id : change.added()) {
            ScimUser user;
            Membership membership;
            try {
                JsonNode stored = read("/users/" + GenesysPassThrough.encode(id), "user " + id);
                user = NormalisedUser.read(OneLogin.normalise((ObjectNode) stored.deepCopy()),
                        "the user Genesys holds").user();
                membership = new Membership(change.groupId(), change.displayName(), Membership.ADDED,
                        groupsAfter(id, stored, change, groupNames));
            } catch (Unknown e) {
                return unknown(e.getMessage(), null);
            } catch (MalformedPayload e) {
                return unknown("Genesys holds user " + id + " in a form scimgate cannot read (" + e.detail() + ")",
                        null);
            }
            Evaluation evaluation = decisions.evaluate(user, membership);
            memberships.add(membership);
            first = first == null ? evaluation : first;
            if (about == null || !evaluation.compliant() && refusedUser == null) {
                about = user;
            }
            if (!evaluation.compliant() && refusedUser == null) {
                refusedUser = user;
            }
            String field = "members[value eq \"" + id + "\"]";
            evaluation.violations().forEach(v -> violations.add(new PolicyViolation(field, v.code(), v.message(),
                    v.severity(), v.mode(), v.rule())));
            fired.addAll(evaluation.firedRules());
            evaluation.firedRules().forEach(name -> {
                if (evaluation.firedRule(name) != null) {
                    metadata.put(name, evaluation.firedRule(name));
                }
            });
        }
        return new Verdict(new Evaluation(violations, List.copyOf(fired), first.rulesetVersion(), metadata,
                first.sensitiveAttributes()), about, memberships);
    }

    /**
     * The display names of the groups the user is in once it has joined this one: those Genesys lists,
     * and those this gateway has just put the user in, which Genesys' read may not show yet.
     */
    private Set<String> groupsAfter(String userId, JsonNode user, GroupChange change, Map<String, String> groupNames) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode groups = ScimNames.get(user, "groups");
        if (groups != null && !groups.isNull()) {
            if (!groups.isArray()) {
                throw new Unknown("Genesys answered the read of a user with groups that are not a list");
            }
            for (JsonNode group : groups) {
                String id = text(group.isObject() ? ScimNames.get(group, "value") : null);
                if (id == null) {
                    throw new Unknown("Genesys listed a group of the user without its id");
                }
                if (id.equals(change.groupId())) {
                    continue; // the group this write is about, under its name after the write
                }
                String display = text(ScimNames.get(group, "display"));
                names.add(display != null ? display : groupNames.computeIfAbsent(id, this::groupName));
            }
        }
        names.addAll(recent.of(userId, change.groupId(), id -> groupNames.computeIfAbsent(id, this::groupName)));
        names.add(change.displayName());
        return names;
    }

    private String groupName(String id) {
        String name = text(ScimNames.get(read("/groups/" + GenesysPassThrough.encode(id), "group " + id),
                "displayName"));
        if (name == null) {
            throw new Unknown("Genesys gave group " + id + " no displayName");
        }
        return name;
    }

    private JsonNode read(String path, String what) {
        GenesysScim.Answer answer;
        try {
            answer = genesys.exchange("GET", path, null, null);
        } catch (GenesysUnavailable e) {
            throw new Unknown("Genesys could not be asked for " + what + " (" + e.getMessage() + ")");
        }
        if (answer.status() != 200) {
            throw new Unknown("Genesys answered " + answer.status() + " to the read of " + what);
        }
        try {
            JsonNode node = ExactJson.reader(json).readTree(String.valueOf(answer.body()));
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // below
        }
        throw new Unknown("Genesys answered the read of " + what + " with something that is not a JSON object");
    }

    Verdict unknown(String why, ScimUser user) {
        return new Verdict(decisions.refusal("members", UNKNOWN, why + ", so the change of membership cannot be "
                + "judged and was not made; retry once Genesys answers"), user, List.of());
    }

    /** A change refused because another change of the same user's groups held the lock too long. */
    Verdict busy(String why) {
        return new Verdict(decisions.refusal("members", MembershipLocks.BUSY, why + ", so this change of membership "
                + "was not judged and not made; retry"), null, List.of());
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    /** Genesys could not say what the rules need: the change is refused. */
    private static final class Unknown extends RuntimeException {
        Unknown(String message) {
            super(message, null, false, false);
        }
    }
}
