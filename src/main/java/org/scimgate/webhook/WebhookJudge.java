package org.scimgate.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.PolicyViolation;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;
import org.scimgate.webhook.WebhookDecision.Outcome;
import org.scimgate.webhook.WebhookResponses.Accepted;
import org.scimgate.webhook.WebhookResponses.Error;
import org.scimgate.webhook.WebhookResponses.Ignored;
import org.scimgate.webhook.WebhookResponses.Rejected;
import org.scimgate.webhook.WebhookResponses.ViolationBody;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** Turns one webhook request into a decision. Pure: no I/O beyond the policy engine. */
@Component
class WebhookJudge {

    private final PolicyEngine engine;
    private final ObjectMapper json;
    private final DecisionMetrics metrics;

    WebhookJudge(PolicyEngine engine, ObjectMapper json, DecisionMetrics metrics) {
        this.engine = engine;
        this.json = json;
        this.metrics = metrics;
    }

    /** A caller without valid credentials: recorded without its body, which is never read further. */
    WebhookDecision unauthenticated(UUID id, Instant now, DeliveryId delivery, String reason) {
        Error body = new Error("UNAUTHENTICATED", "UNAUTHENTICATED", reason, delivery.echo(), now.toString(), id);
        return new WebhookDecision(id, now, delivery.echo(), "unauthenticated:" + id, Outcome.UNAUTHENTICATED, 401, body,
                null, null, null, null, null, reason, null);
    }

    /** A request whose body could not be read at all (wrong content type, too large, an id over the limit). */
    WebhookDecision refuse(UUID id, Instant now, DeliveryId delivery, int status, String code, String detail) {
        return error(id, now, delivery.echo(), "unread:" + id, status, code, detail, null, null);
    }

    /**
     * The delivery id was recorded before for another body: this request is recorded on its own,
     * with its payload, and answered 409; the earlier decision is never its answer.
     */
    WebhookDecision keyReused(WebhookDecision d) {
        String detail = "x-genesys-webhook-id was already used for a different body; each delivery needs an id of its own";
        Error body = new Error("MALFORMED", "DELIVERY_ID_REUSED", detail, d.webhookId(), d.receivedAt().toString(),
                d.decisionId());
        return new WebhookDecision(d.decisionId(), d.receivedAt(), d.webhookId(), "reused:" + d.decisionId(),
                Outcome.MALFORMED, 409, body, d.eventType(), d.eventTimestamp(), d.user(), null, d.payload(), detail,
                d.bodySha256());
    }

    /** PostgreSQL refused a field of this request: recorded without the request's content. */
    WebhookDecision unstorable(WebhookDecision d, String field, String reason) {
        return error(d.decisionId(), d.receivedAt(), d.webhookId(), "unstorable:" + d.decisionId(), 400,
                "UNSTORABLE_INPUT", reason + "; shorten or correct " + field, null, null);
    }

    WebhookDecision judge(UUID id, Instant now, DeliveryId delivery, byte[] body) {
        String sha = sha256(body);
        String key = delivery.key() != null ? "delivery:" + delivery.key() : "body:" + sha;
        String webhookId = delivery.echo();
        if (body.length == 0) {
            return error(id, now, webhookId, key, 400, "MALFORMED_PAYLOAD", "the request body is empty", null, sha);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return error(id, now, webhookId, key, 400, "MALFORMED_PAYLOAD", "the body is not valid JSON" + where, null,
                    sha);
        } catch (java.io.IOException e) {
            return error(id, now, webhookId, key, 400, "MALFORMED_PAYLOAD", "the body could not be read", null, sha);
        }
        if (root == null || root.isMissingNode()) {
            return error(id, now, webhookId, key, 400, "MALFORMED_PAYLOAD", "the request body is empty", null, sha);
        }
        try {
            return evaluate(id, now, webhookId, key, root, sha);
        } catch (MalformedPayload e) {
            return error(id, now, webhookId, key, 400, "MALFORMED_PAYLOAD", e.detail(), root, sha);
        }
    }

    private WebhookDecision evaluate(UUID id, Instant now, String webhookId, String key, JsonNode root, String sha) {
        WebhookEnvelope envelope = WebhookEnvelope.read(root);
        if (!envelope.judged()) {
            return new WebhookDecision(id, now, webhookId, key, Outcome.IGNORED, 200,
                    new Ignored("IGNORED", webhookId, envelope.eventType(), id),
                    envelope.eventType(), envelope.eventTimestamp(), null, null, root, null, sha);
        }
        ScimUser user = ScimUserReader.read(envelope.data(), "data");
        Evaluation evaluation = metrics.timed(() -> engine.evaluateOrRefuse(user));
        List<ViolationBody> enforced = bodies(evaluation.enforced());
        if (!enforced.isEmpty()) {
            Rejected rejected = new Rejected(webhookId, envelope.eventType(), envelope.eventTimestamp(), "REJECTED",
                    "PROVISIONING_POLICY_VIOLATION", enforced, now.toString(), id);
            return new WebhookDecision(id, now, webhookId, key, Outcome.REJECTED, 400, rejected,
                    envelope.eventType(), envelope.eventTimestamp(), user, evaluation, root, null, sha);
        }
        // Warnings are shown to the caller; dry-run violations only reach the audit.
        List<ViolationBody> warnings = bodies(evaluation.warnings());
        Outcome outcome = warnings.isEmpty() ? Outcome.ACCEPTED : Outcome.ACCEPTED_WITH_WARNINGS;
        return new WebhookDecision(id, now, webhookId, key, outcome, 200,
                new Accepted("ACCEPTED", webhookId, id, warnings.isEmpty() ? null : warnings),
                envelope.eventType(), envelope.eventTimestamp(), user, evaluation, root, null, sha);
    }

    private static List<ViolationBody> bodies(List<PolicyViolation> violations) {
        return violations.stream().map(v -> new ViolationBody(v.field(), v.code(), v.message())).toList();
    }

    private static WebhookDecision error(UUID id, Instant now, String webhookId, String key, int status, String code,
                                         String detail, JsonNode payload, String sha) {
        Error body = new Error("MALFORMED", code, detail, webhookId, now.toString(), id);
        return new WebhookDecision(id, now, webhookId, key, Outcome.MALFORMED, status, body, null, null, null, null,
                payload, detail, sha);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return "application".equals(type.getType())
                    && ("json".equals(type.getSubtype()) || "json".equals(type.getSubtypeSuffix()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
