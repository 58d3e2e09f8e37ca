package org.scimgate.policy;

import java.util.Locale;

/**
 * What a rule does when it matches, from its {@code @mode} metadata, as Gatekeeper's
 * {@code enforcementAction}: {@code enforce} rejects, {@code warn} accepts and tells the caller,
 * {@code dryrun} only records.
 */
public enum Mode {
    ENFORCE, WARN, DRYRUN;

    static Mode parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
