package org.scimgate.scim;

/** The request body cannot be read as what it claims to be; the message says why, for the sender. */
public class MalformedPayload extends RuntimeException {

    public MalformedPayload(String detail) {
        super(detail);
    }

    public String detail() {
        return getMessage();
    }
}
