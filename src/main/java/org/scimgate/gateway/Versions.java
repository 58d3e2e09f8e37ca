package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.scim.ScimNames;

/** Entity tags of a Genesys user: its {@code ETag} header, or {@code meta.version} (RFC 7644 §3.14). */
final class Versions {

    private Versions() {
    }

    /** The version Genesys answered the user with; null when it gave none. */
    static String of(GenesysScim.Answer answer, JsonNode user) {
        String etag = answer.headers().get("ETag");
        if (etag != null && !etag.isBlank()) {
            return etag.trim();
        }
        JsonNode version = ScimNames.get(ScimNames.get(user, "meta"), "version");
        return version != null && version.isTextual() && !version.asText().isBlank() ? version.asText().trim() : null;
    }

    /** Whether an {@code If-Match} header (one tag, a list, or {@code *}) matches {@code version}, weakly compared. */
    static boolean matches(String ifMatch, String version) {
        for (String tag : ifMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || opaque(t).equals(opaque(version))) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
