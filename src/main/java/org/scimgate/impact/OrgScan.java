package org.scimgate.impact;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.scimgate.genesys.GenesysUsers;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.Membership;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.PolicyViolation;
import org.scimgate.policy.RulesCommand;
import org.scimgate.policy.Ruleset;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;

/**
 * Judges every user already in Genesys by a ruleset, as the gateway would judge them created today,
 * and each group they are in as the gateway would judge them joining it today (the access rules:
 * segregation of duties). A user's {@code groups} without a display name are named from the org's
 * groups, read once, paged and rate-limited as the users are.
 */
final class OrgScan {

    private OrgScan() {
    }

    /** How the scan judges a user, and a user in a group. */
    interface Judge {
        Evaluation user(ScimUser user);

        Evaluation membership(ScimUser user, Membership membership);
    }

    /** Told of each user the rules find fault with: the resource Genesys returned and the verdict on it. */
    interface Findings {
        void violating(JsonNode resource, Evaluation evaluation);
    }

    static ScanReport run(GenesysUsers users, Ruleset ruleset) {
        return run(users, new Judge() {
            @Override
            public Evaluation user(ScimUser user) {
                return ruleset.evaluateOrRefuse(user);
            }

            @Override
            public Evaluation membership(ScimUser user, Membership membership) {
                return ruleset.evaluateOrRefuse(user, membership);
            }
        }, ruleset.version(), (resource, evaluation) -> {
        });
    }

    /**
     * Judges every user with {@code judge} (for the service, the live engine: a reload during the
     * scan is picked up and never closes a ruleset under it); {@code version} is named in the report.
     */
    static ScanReport run(GenesysUsers users, Judge judge, String version, Findings findings) {
        Map<String, String> groupNames = new HashMap<>();
        boolean[] groupsRead = new boolean[1];
        List<ScanReport.User> violating = new ArrayList<>();
        List<ScanReport.Unreadable> unreadable = new ArrayList<>();
        long[] counts = new long[2]; // scanned, rejected
        users.forEach(resource -> {
            counts[0]++;
            String id = text(resource, "id");
            String userName = text(resource, "userName");
            Evaluation evaluation;
            try {
                ScimUser scimUser = ScimUserReader.read(resource, "user");
                evaluation = withMemberships(judge, judge.user(scimUser), scimUser,
                        groupNames(resource, users, groupNames, groupsRead));
            } catch (MalformedPayload e) {
                unreadable.add(new ScanReport.Unreadable(id, userName, e.detail()));
                return;
            }
            if (!evaluation.violations().isEmpty()) {
                String outcome = evaluation.verdict().name();
                if ("REJECTED".equals(outcome)) {
                    counts[1]++;
                }
                violating.add(new ScanReport.User(id, userName, outcome, evaluation.violations().stream()
                        .map(v -> new ScanReport.Finding(v.code(), v.field(), v.message(), v.mode().label())).toList()));
                findings.violating(resource, evaluation);
            }
        });
        return new ScanReport(counts[0], violating.size(), counts[1], version, violating, unreadable);
    }

    /** The user's evaluation, with the violations of each of its groups judged as joined today, once each. */
    private static Evaluation withMemberships(Judge judge, Evaluation user, ScimUser scimUser, Set<String> groups) {
        if (groups.isEmpty()) {
            return user;
        }
        List<PolicyViolation> violations = new ArrayList<>(user.violations());
        Set<String> fired = new LinkedHashSet<>(user.firedRules());
        Map<String, PolicyRule> metadata = new HashMap<>();
        user.firedRules().forEach(name -> metadata.put(name, user.firedRule(name)));
        Set<String> seen = new HashSet<>();
        for (String group : groups) {
            Evaluation membership = judge.membership(scimUser, new Membership(null, group, Membership.ADDED, groups));
            for (PolicyViolation v : membership.violations()) {
                if (seen.add(v.code() + "\u0000" + v.message())) {
                    violations.add(new PolicyViolation("groups", v.code(), v.message(), v.severity(), v.mode(),
                            v.rule()));
                }
            }
            membership.firedRules().forEach(name -> {
                fired.add(name);
                if (membership.firedRule(name) != null) {
                    metadata.put(name, membership.firedRule(name));
                }
            });
        }
        metadata.values().removeIf(java.util.Objects::isNull);
        return new Evaluation(violations, List.copyOf(fired), user.rulesetVersion(), metadata,
                user.sensitiveAttributes());
    }

    /** The display names of the user's groups; ids without one are named from the org's groups, read once. */
    private static Set<String> groupNames(JsonNode resource, GenesysUsers users, Map<String, String> names,
                                          boolean[] read) {
        Set<String> groups = new LinkedHashSet<>();
        JsonNode listed = resource.get("groups");
        if (listed == null || !listed.isArray()) {
            return groups;
        }
        for (JsonNode group : listed) {
            String display = text(group, "display");
            String id = text(group, "value");
            if (display == null && id != null) {
                if (!read[0]) {
                    read[0] = true;
                    users.forEachGroup(g -> {
                        if (text(g, "id") != null && text(g, "displayName") != null) {
                            names.put(text(g, "id"), text(g, "displayName"));
                        }
                    });
                }
                display = names.get(id);
            }
            if (display != null) {
                groups.add(display);
            }
        }
        return groups;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.textValue();
    }
}
