package org.scimgate.scim;

/**
 * One entry of a SCIM user's {@code emails}, with its position in the array so that a violation
 * can name the exact field ({@code emails[2].value}).
 */
public record Email(int index, String value, String type, boolean primary, EmailAddress address) {

    public Email {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative");
        }
        address = address != null ? address : EmailAddress.parse(value);
    }

    public Email(int index, String value, String type, boolean primary) {
        this(index, value, type, primary, null);
    }

    /** The SCIM path of this entry's value, as violations report it. */
    public String field() {
        return "emails[" + index + "].value";
    }

    /**
     * Whether Genesys maps this entry to the account's work email: it reads {@code emails[type eq "work"]},
     * and a SCIM filter compares {@code type} ignoring case (RFC 7643 §4.1.2: not caseExact). Surrounding
     * spaces are ignored too, so that no spelling of "work" escapes the rules.
     */
    public boolean work() {
        return type != null && type.strip().equalsIgnoreCase("work");
    }

    public boolean hasValue() {
        return value != null && !value.isBlank();
    }
}
