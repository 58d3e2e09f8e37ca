package org.scimgate.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scimgate.decision.Decisions;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyViolation;
import org.scimgate.policy.Verdict;
import org.scimgate.scim.ExactJson;
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

    /** Jackson's words for a key named twice in one object under {@code STRICT_DUPLICATE_DETECTION}. */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);

    private final Decisions decisions;
    /** Made once: a reader is immutable, and making one per request showed in the webhook's profile. */
    private final ObjectReader exact;

    WebhookJudge(Decisions decisions, ObjectMapper json) {
        this.decisions = decisions;
        this.exact = ExactJson.reader(json);
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
            root = exact.readTree(body);
        } catch (JsonProcessingException e) {
            return error(id, now, webhookId, key, 400, "MALFORMED_PAYLOAD", unreadable(e), null, sha);
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
        Evaluation evaluation = decisions.evaluate(user);
        if (evaluation.verdict() == Verdict.REJECTED) {
            List<ViolationBody> enforced = bodies(evaluation.enforced());
            Rejected rejected = new Rejected(webhookId, envelope.eventType(), envelope.eventTimestamp(), "REJECTED",
                    "PROVISIONING_POLICY_VIOLATION", enforced, now.toString(), id);
            return new WebhookDecision(id, now, webhookId, key, Outcome.REJECTED, 400, rejected,
                    envelope.eventType(), envelope.eventTimestamp(), user, evaluation, root, null, sha);
        }
        // Warnings are shown to the caller; dry-run violations only reach the audit.
        List<ViolationBody> warnings = bodies(evaluation.warnings());
        return new WebhookDecision(id, now, webhookId, key, Outcome.valueOf(evaluation.verdict().name()), 200,
                new Accepted("ACCEPTED", webhookId, id, warnings.isEmpty() ? null : warnings),
                envelope.eventType(), envelope.eventTimestamp(), user, evaluation, root, null, sha);
    }

    /**
     * Why the body is not JSON, for the caller: an exact duplicate key (refused by the parser, see
     * {@code JsonLimits}) is named, anything else located by line and column.
     */
    static String unreadable(JsonProcessingException e) {
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.matches()) {
            String field = e.getProcessor() instanceof JsonParser parser ? path(parser.getParsingContext())
                    : duplicate.group(1);
            return "the body names " + field + " twice; parsers disagree on which one counts";
        }
        return "the body is not valid JSON" + (e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }

    /** Where the parser stopped, as the webhook's other details name fields: {@code data.emails[0].value}. */
    private static String path(JsonStreamContext context) {
        java.util.Deque<String> segments = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            segments.addFirst(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String path = String.join("", segments);
        return path.startsWith(".") ? path.substring(1) : path;
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
