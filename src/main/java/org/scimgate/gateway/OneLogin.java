package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** OneLogin's SCIM 1.x-style templates may send emails as one object rather than an array. */
final class OneLogin {

    private OneLogin() {
    }

    /** {@code user} with {@code emails} (in any case) as an array when it was one object. */
    static ObjectNode normalise(ObjectNode user) {
        for (Map.Entry<String, JsonNode> member : user.properties()) {
            if (member.getKey().equalsIgnoreCase("emails") && member.getValue().isObject()) {
                ObjectNode copy = user.deepCopy();
                copy.putArray(member.getKey()).add(member.getValue());
                return copy;
            }
        }
        return user;
    }
}
