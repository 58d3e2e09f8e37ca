package org.scimgate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.utils.FilterEvaluator;
import com.unboundid.scim2.common.utils.JsonUtils;
import java.util.List;
import java.util.function.Consumer;
import org.scimgate.scim.ExactJson;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimNames;

/**
 * Applies an RFC 7644 §3.5.2 PatchOp to a user with the UnboundID/Ping SCIM 2 SDK, so that a PATCH
 * is judged on the user as it is afterwards: attribute names and non-caseExact string comparisons
 * are case-insensitive, value filters take every §3.4.2.2 operator, {@code and}/{@code or}/{@code not}
 * and string, boolean and number literals. One deviation from the SDK, to follow the RFC: an
 * {@code add} whose value filter matches an existing value sets the sub-attribute on the matches
 * (it is single-valued, so add replaces it, §3.5.2.1); the SDK would append a second value.
 */
final class ScimPatch {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** Numbers kept as written, on the way into the SDK's tree and back. */
    private static final ObjectReader EXACT = ExactJson.reader(PLAIN);

    private ScimPatch() {
    }

    /**
     * The user after the operations; {@code current} is left untouched. A PatchOp is all or nothing
     * (RFC 7644 §3.5.2), so each operation but the last must leave a user {@code check} accepts (it
     * throws {@link MalformedPayload} for one it refuses): an operation whose value does not fit its
     * attribute refuses the whole PATCH, even when a later operation overwrites it. The last one's
     * user is the one returned, which the caller judges.
     */
    static ObjectNode apply(JsonNode current, JsonNode patch, Consumer<ObjectNode> check) {
        List<PatchOperations.Operation> operations = PatchOperations.read(patch);
        ObjectNode user = sdkTree(current.isObject() ? current : PLAIN.createObjectNode());
        for (int i = 0; i < operations.size(); i++) {
            PatchOperations.Operation operation = operations.get(i);
            apply(user, operation);
            if (i < operations.size() - 1) {
                try {
                    check.accept(plain(user));
                } catch (MalformedPayload e) {
                    throw new PatchRefused("invalidValue", operation.type().getStringValue() + " " + operation.text()
                            + " leaves a user that is not valid: " + e.detail());
                }
            }
        }
        return plain(user);
    }

    private static ObjectNode plain(ObjectNode user) {
        try {
            return (ObjectNode) EXACT.readTree(user.toString());
        } catch (JsonProcessingException e) {
            throw new PatchRefused("invalidValue", "the patched user cannot be written as JSON");
        }
    }

    private static void apply(ObjectNode user, PatchOperations.Operation operation) {
        try {
            JsonNode value = operation.value() == null ? null : sdkTree(operation.value());
            PatchOpType type = operation.type();
            if (type == PatchOpType.ADD && matchesExistingValue(user, operation.path())) {
                type = PatchOpType.REPLACE;
            }
            PatchOperation.create(type, operation.path(), value).apply(user);
        } catch (ScimException e) {
            String scimType = e.getScimError() == null ? null : e.getScimError().getScimType();
            throw new PatchRefused(scimType == null ? "invalidValue" : scimType,
                    operation.type().getStringValue() + " " + operation.text() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new PatchRefused("invalidPath", operation.type().getStringValue() + " " + operation.text()
                    + " cannot be applied to this user");
        }
    }

    /** Whether {@code path} has a value filter that some existing value of its attribute matches. */
    private static boolean matchesExistingValue(ObjectNode user, Path path) throws ScimException {
        if (path.size() == 0 || path.getElement(0).getValueFilter() == null) {
            return false;
        }
        Filter filter = path.getElement(0).getValueFilter();
        JsonNode holder = path.getSchemaUrn() == null ? user : ScimNames.get(user, path.getSchemaUrn());
        JsonNode values = ScimNames.get(holder, path.getElement(0).getAttribute());
        if (values == null || !values.isArray()) {
            return false;
        }
        for (JsonNode value : values) {
            if (FilterEvaluator.evaluate(filter, value)) {
                return true;
            }
        }
        return false;
    }

    /** The SDK's own tree, whose objects look attribute names up case-insensitively. */
    private static <T extends JsonNode> T sdkTree(JsonNode node) {
        try {
            @SuppressWarnings("unchecked")
            T tree = (T) JsonUtils.getObjectReader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).readTree(node.toString());
            return tree;
        } catch (JsonProcessingException e) {
            throw new PatchRefused("invalidValue", "the value cannot be read as JSON");
        }
    }
}
