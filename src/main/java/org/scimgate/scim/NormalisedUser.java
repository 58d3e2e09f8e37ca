package org.scimgate.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A SCIM user as scimgate understands it: the normalised {@code document} (see {@link ScimDocument})
 * and the {@code user} fact the rules judge, read from that document. Whoever forwards a user
 * forwards the document, so that what Genesys receives, read again, gives the same fact.
 */
public record NormalisedUser(ObjectNode document, ScimUser user) {

    /**
     * Reads {@code node}; {@code path} names it in error messages.
     *
     * @throws MalformedPayload naming the field when it is not a readable SCIM user
     */
    public static NormalisedUser read(JsonNode node, String path) {
        ObjectNode document = ScimUserReader.normalise(node, path);
        return new NormalisedUser(document, ScimUserReader.fromDocument(document, path));
    }
}
