package org.scimgate.policy;

import java.util.Objects;

/** A violation as the engine reports it: the rule's fact joined with the rule's metadata. */
public record PolicyViolation(String field, String code, String message, Severity severity, Mode mode, String rule) {

    public PolicyViolation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
