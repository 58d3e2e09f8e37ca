package org.scimgate.gateway;

/** A PATCH scimgate cannot apply exactly as RFC 7644 says; {@code scimType} is the RFC 7644 §3.12 kind of 400. */
final class PatchRefused extends RuntimeException {

    private final String scimType;

    PatchRefused(String scimType, String detail) {
        super(detail, null, false, false);
        this.scimType = scimType;
    }

    String scimType() {
        return scimType;
    }

    String detail() {
        return getMessage();
    }
}
