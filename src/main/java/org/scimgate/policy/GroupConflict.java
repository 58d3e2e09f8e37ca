package org.scimgate.policy;

import java.util.Objects;

/**
 * Two groups no one may be in at once (segregation of duties), from the reference data's
 * {@code conflicting-groups}: inserted as a fact, so the rule reads the pairs instead of spelling them out.
 */
public record GroupConflict(String first, String second) {

    public GroupConflict {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    /** Whether {@code membership} leaves its user in both groups of this pair, having added one of them. */
    public boolean brokenBy(Membership membership) {
        return membership.added() && (membership.is(first) || membership.is(second))
                && membership.holds(first) && membership.holds(second);
    }
}
