package org.scimgate.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhook/scim-validation}: the tutorial's endpoint. Reads the body itself, so that
 * every bad input gets the one documented error shape and nothing reaches a default error page.
 */
@RestController
class WebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookController.class);
    static final String WEBHOOK_ID_HEADER = "x-genesys-webhook-id";

    private final PolicyEngine engine;
    private final ObjectMapper json;
    private final WebhookSettings settings;
    private final Clock clock;

    WebhookController(PolicyEngine engine, ObjectMapper json, WebhookSettings settings) {
        this.engine = engine;
        this.json = json;
        this.settings = settings;
        this.clock = Clock.systemUTC();
    }

    @PostMapping("/webhook/scim-validation")
    ResponseEntity<Object> validate(@RequestHeader(name = WEBHOOK_ID_HEADER, required = false) String webhookId,
                                    @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                    HttpServletRequest request) throws IOException {
        WebhookDecision decision = decide(UUID.randomUUID(), clock.instant(), webhookId, contentType, request);
        LOG.info("Decision {} for webhook delivery {}: {}", decision.decisionId(), webhookId, decision.outcome());
        return ResponseEntity.status(decision.httpStatus()).contentType(MediaType.APPLICATION_JSON).body(decision.body());
    }

    private WebhookDecision decide(UUID id, Instant now, String webhookId, String contentType,
                                   HttpServletRequest request) throws IOException {
        if (!isJson(contentType)) {
            return error(id, now, webhookId, 415, "UNSUPPORTED_MEDIA_TYPE",
                    "Content-Type must be application/json", null);
        }
        long limit = settings.maxBodySize().toBytes();
        if (request.getContentLengthLong() > limit) {
            return error(id, now, webhookId, 413, "PAYLOAD_TOO_LARGE", "the body is larger than " + limit + " bytes", null);
        }
        byte[] body = readAtMost(request.getInputStream(), limit);
        if (body == null) {
            return error(id, now, webhookId, 413, "PAYLOAD_TOO_LARGE", "the body is larger than " + limit + " bytes", null);
        }
        if (body.length == 0) {
            return error(id, now, webhookId, 400, "MALFORMED_PAYLOAD", "the request body is empty", null);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return error(id, now, webhookId, 400, "MALFORMED_PAYLOAD", "the body is not valid JSON" + where, null);
        }
        if (root == null || root.isMissingNode()) {
            return error(id, now, webhookId, 400, "MALFORMED_PAYLOAD", "the request body is empty", null);
        }
        try {
            return judge(id, now, webhookId, root);
        } catch (MalformedPayload e) {
            return error(id, now, webhookId, 400, "MALFORMED_PAYLOAD", e.detail(), root);
        }
    }

    private WebhookDecision judge(UUID id, Instant now, String webhookId, JsonNode root) {
        WebhookEnvelope envelope = WebhookEnvelope.read(root);
        if (!envelope.judged()) {
            return new WebhookDecision(id, now, webhookId, Outcome.IGNORED, 200,
                    new Ignored("IGNORED", webhookId, envelope.eventType(), id),
                    envelope.eventType(), envelope.eventTimestamp(), null, null, root);
        }
        ScimUser user = ScimUserReader.read(envelope.data(), "data");
        Evaluation evaluation = engine.evaluate(user);
        List<ViolationBody> enforced = bodies(evaluation.enforced());
        if (!enforced.isEmpty()) {
            Rejected rejected = new Rejected(webhookId, envelope.eventType(), envelope.eventTimestamp(), "REJECTED",
                    "PROVISIONING_POLICY_VIOLATION", enforced, now.toString(), id);
            return new WebhookDecision(id, now, webhookId, Outcome.REJECTED, 400, rejected,
                    envelope.eventType(), envelope.eventTimestamp(), user, evaluation, root);
        }
        return new WebhookDecision(id, now, webhookId, Outcome.ACCEPTED, 200, new Accepted("ACCEPTED", webhookId, id, null),
                envelope.eventType(), envelope.eventTimestamp(), user, evaluation, root);
    }

    private static List<ViolationBody> bodies(List<PolicyViolation> violations) {
        return violations.stream().map(v -> new ViolationBody(v.field(), v.code(), v.message())).toList();
    }

    private static WebhookDecision error(UUID id, Instant now, String webhookId, int status, String code,
                                         String detail, JsonNode payload) {
        Error body = new Error("MALFORMED", code, detail, webhookId, now.toString(), id);
        return new WebhookDecision(id, now, webhookId, Outcome.MALFORMED, status, body, null, null, null, null, payload);
    }

    private static boolean isJson(String contentType) {
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

    /** The body, or null when it is longer than {@code limit} (sent without a Content-Length, say). */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        return bytes.length > limit ? null : bytes;
    }
}
