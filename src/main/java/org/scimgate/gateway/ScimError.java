package org.scimgate.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 7644 §3.12 error body: {@code status} is a string, {@code scimType} says what kind of 400. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ScimError(List<String> schemas, String status, String scimType, String detail) {

    static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

    static ScimError of(int status, String scimType, String detail) {
        return new ScimError(List.of(SCHEMA), Integer.toString(status), scimType, detail);
    }
}
