package org.scimgate.policy;

import java.util.Locale;

/**
 * What scimgate does to an account Genesys already holds when an enforced violation of the rule is
 * found on it, from the rule's {@code @remedy} metadata; {@link #NONE} (the default) only reports.
 * Each remedy is one kind of action the remediation relay knows how to carry out: a new one is a new
 * constant here and a new action there.
 */
public enum Remedy {
    NONE, DEACTIVATE;

    static Remedy parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    /** As written in {@code @remedy} and stored on a decision's violation. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
