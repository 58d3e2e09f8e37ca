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

    public boolean hasValue() {
        return value != null && !value.isBlank();
    }
}
