package org.scimgate.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A change of one user's group membership, as access rules see it: the group (its Genesys id and
 * display name), whether the user is {@code added} to it or {@code removed} from it, and the display
 * names of every group the user would be in once the change is made. Inserted beside the user's
 * {@link org.scimgate.scim.ScimUser}; only the violations of rules that matched this fact count
 * against the change. Group names are compared as Genesys shows them, ignoring case and the
 * spaces around them.
 */
public record Membership(String groupId, String group, String change, Set<String> groups) {

    public static final String ADDED = "added";
    public static final String REMOVED = "removed";

    public Membership {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(change, "change");
        if (!ADDED.equals(change) && !REMOVED.equals(change)) {
            throw new IllegalArgumentException("change must be added or removed, not " + change);
        }
        groups = Set.copyOf(groups);
    }

    public boolean added() {
        return ADDED.equals(change);
    }

    public boolean removed() {
        return REMOVED.equals(change);
    }

    /** Whether this change is about the group of that name. */
    public boolean is(String name) {
        return key(group).equals(key(name));
    }

    /** Whether the user is in the group of that name once the change is made. */
    public boolean holds(String name) {
        String wanted = key(name);
        return groups.stream().anyMatch(g -> key(g).equals(wanted));
    }

    /** Whether this change is about a group whose name starts with {@code prefix}, ignoring case. */
    public boolean groupStartsWith(String prefix) {
        return prefix != null && key(group).startsWith(key(prefix));
    }

    /**
     * The {@code membership} of an example: {@code {group: Finance Approvers, change: added,
     * groups: [Finance Payables, Finance Approvers]}}, {@code groups} being the memberships after
     * the change; {@code change} defaults to {@code added}.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    static Membership ofExample(Object value) {
        if (!(value instanceof java.util.Map<?, ?> fields) || !(fields.get("group") instanceof String group)) {
            throw new IllegalArgumentException("membership needs a group: {group: <name>, change: added|removed, "
                    + "groups: [<every group the user is in after the change>]}");
        }
        Object groups = fields.get("groups");
        if (groups != null && !(groups instanceof java.util.List<?>)) {
            throw new IllegalArgumentException("membership groups must be a list of group names");
        }
        java.util.List<String> names = groups == null ? java.util.List.of()
                : ((java.util.List<?>) groups).stream().map(String::valueOf).toList();
        Object change = fields.get("change");
        return new Membership(fields.get("id") == null ? null : String.valueOf(fields.get("id")), group,
                change == null ? ADDED : String.valueOf(change), new java.util.HashSet<>(names));
    }

    static String key(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }

    /** The names as one sorted, comma-separated text: for messages. */
    public String groupList() {
        return groups.stream().sorted().collect(Collectors.joining(", "));
    }
}
