package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** OneLogin's SCIM 1.x-style templates may send emails as one object rather than an array. */
final class OneLogin {

    private OneLogin() {
    }

    /** {@code user} with {@code emails} as an array; names must already be canonical ({@code ScimSchema}). */
    static ObjectNode normalise(ObjectNode user) {
        JsonNode emails = user.get("emails");
        if (emails != null && emails.isObject()) {
            ObjectNode copy = user.deepCopy();
            copy.putArray("emails").add(emails);
            return copy;
        }
        return user;
    }
}
