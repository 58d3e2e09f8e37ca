package org.scimgate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.scimgate.decision.Decisions;
import org.scimgate.gateway.Judgement.Compliant;
import org.scimgate.gateway.Judgement.Outcomes;
import org.scimgate.gateway.Judgement.Refused;
import org.scimgate.gateway.Judgement.Relayed;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.Verdict;
import org.scimgate.scim.DuplicateAttribute;
import org.scimgate.scim.ExactJson;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.NormalisedUser;
import org.scimgate.scim.ScimUser;
import org.springframework.stereotype.Component;

/**
 * Turns the body of one gateway write into a judgement, as {@code WebhookJudge} does for the
 * webhook: parse it, apply a PATCH to the user Genesys holds, normalise OneLogin's emails and then
 * the whole user ({@link NormalisedUser}), evaluate, and word the outcome. A compliant judgement
 * carries the normalised document: the only body the gateway sends Genesys for a write. It sends nothing to Genesys; a PATCH reads the user through
 * {@code stored}, which may throw {@link org.scimgate.genesys.GenesysUnavailable}.
 */
@Component
class GatewayJudge {

    private final Decisions decisions;
    private final ObjectMapper json;

    GatewayJudge(Decisions decisions, ObjectMapper json) {
        this.decisions = decisions;
        this.json = json;
    }

    /**
     * Judges a POST or PUT ({@code stored} null) or a PATCH ({@code stored} reads the user it
     * applies to). {@code body} is null when it was larger than {@code limit} bytes.
     */
    Judgement judge(byte[] body, long limit, String ifMatch, Supplier<GenesysScim.Answer> stored) {
        if (body == null) {
            return Refused.malformed(413, null, "the body is larger than " + limit + " bytes", null);
        }
        JsonNode root;
        try {
            root = body.length == 0 ? null : ExactJson.reader(json).readTree(body);
        } catch (IOException e) {
            boolean duplicate = String.valueOf(e.getMessage()).startsWith("Duplicate field");
            return Refused.malformed(400, "invalidSyntax", duplicate ? "the body names an attribute twice"
                    : "the body is not valid JSON", null);
        }
        if (root == null || !root.isObject()) {
            return Refused.malformed(400, "invalidSyntax", "the body must be a SCIM JSON object", null);
        }
        try {
            return stored == null ? evaluate((ObjectNode) root, ifMatch) : patch(root, ifMatch, stored.get());
        } catch (PatchRefused e) {
            return Refused.malformed(400, e.scimType(), e.detail(), root);
        } catch (MalformedPayload e) {
            return Refused.malformed(400, e instanceof DuplicateAttribute ? "invalidSyntax" : "invalidValue",
                    e.detail(), root);
        }
    }

    /** The PATCH applied to the user Genesys answered, judged as a PUT of that version. */
    private Judgement patch(JsonNode patch, String ifMatch, GenesysScim.Answer current) {
        if (current.status() != 200) {
            return new Relayed(current);
        }
        JsonNode stored;
        try {
            stored = ExactJson.reader(json).readTree(String.valueOf(current.body()));
        } catch (JsonProcessingException e) {
            stored = null;
        }
        if (stored == null || !stored.isObject()) {
            return new Refused(Outcomes.UPSTREAM_ERROR, 502, null, "Genesys answered the read of the user with "
                    + "something that is not a JSON object, so the PATCH cannot be applied; nothing was changed",
                    null, null, patch);
        }
        String version = Versions.of(current, stored);
        if (version == null) {
            return new Refused(Outcomes.UPSTREAM_ERROR, 502, null, "Genesys gave no version of the user, so the "
                    + "PATCH cannot be applied to a known state", null, null, patch);
        }
        if (ifMatch != null && !Versions.matches(ifMatch, version)) {
            return new Refused(Outcomes.PRECONDITION_FAILED, 412, null, "If-Match " + ifMatch + " does not match "
                    + "the user's version in Genesys, " + version + "; nothing was changed", null, null, patch);
        }
        ObjectNode understood;
        try {
            understood = NormalisedUser.read(OneLogin.normalise((ObjectNode) stored), "the user Genesys holds").document();
        } catch (MalformedPayload e) {
            return new Refused(Outcomes.UPSTREAM_ERROR, 502, null, "Genesys answered the read of the user with a user "
                    + "scimgate cannot read (" + e.detail() + "), so the PATCH cannot be applied; nothing was changed",
                    null, null, patch);
        }
        // Applied to the user as scimgate understands it, so that the PATCH and the judgement read the same names.
        // Each operation must leave a user scimgate can read; the last one's is read and judged below.
        return evaluate(ScimPatch.apply(understood, patch,
                user -> NormalisedUser.read(OneLogin.normalise(user), "user")), version);
    }

    /**
     * Judges the user scimgate understands {@code document} to be, and keeps the normalised document
     * as what Genesys may receive: nothing the reader left out or did not understand is forwarded.
     */
    private Judgement evaluate(ObjectNode document, String ifMatch) {
        NormalisedUser normalised = NormalisedUser.read(OneLogin.normalise(document), "user");
        ObjectNode judged = normalised.document();
        ScimUser user = normalised.user();
        Evaluation evaluation = decisions.evaluate(user);
        Verdict verdict = evaluation.verdict();
        if (verdict == Verdict.REJECTED) {
            String detail = "Refused by the provisioning policy: " + evaluation.enforced().stream()
                    .map(v -> v.field() + ": " + v.message() + " (" + v.code() + ")")
                    .collect(Collectors.joining("; "));
            return new Refused(verdict.name(), 400, "invalidValue", detail, user, evaluation, judged);
        }
        return new Compliant(verdict.name(), user, evaluation, judged, ifMatch);
    }
}
