package org.scimgate.policy;

import java.util.Locale;

/** How bad a violation is, from a rule's {@code @severity} metadata. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    static Severity parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
