package org.scimgate.policy;

import java.util.Objects;

/**
 * The fact a rule inserts when a user breaks it: the SCIM field at fault and a sentence an
 * administrator can act on. The rule's code, severity and mode come from the rule's metadata.
 */
public record Violation(String field, String message) {

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
