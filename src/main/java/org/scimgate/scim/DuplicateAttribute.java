package org.scimgate.scim;

/**
 * An object names the same attribute twice, exactly or in another case ({@code userName} and
 * {@code USERNAME}): SCIM attribute names are case-insensitive (RFC 7643 §2.1), so which one counts
 * is up to the reader, and the policy and Genesys could read different users.
 */
public class DuplicateAttribute extends MalformedPayload {

    public DuplicateAttribute(String detail) {
        super(detail);
    }
}
