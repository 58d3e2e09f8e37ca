package org.scimgate.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.scimgate.audit.DecisionIds;
import org.scimgate.audit.StoredDecision;
import org.scimgate.audit.UnstorableDecision;
import org.scimgate.decision.Decisions;
import org.scimgate.security.WebhookAuthenticator;
import org.scimgate.webhook.WebhookResponses.Error;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhook/scim-validation}, the tutorial's endpoint. Every answer is recorded before
 * it is given: when the audit cannot be written, the caller gets 503 and retries, never a decision
 * that left no trace. A retried delivery gets the first answer again.
 */
@RestController
class WebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookController.class);
    static final String WEBHOOK_ID_HEADER = "x-genesys-webhook-id";
    static final String REQUEST_ID_HEADER = "X-Request-ID";

    private final WebhookJudge judge;
    private final WebhookAudit audit;
    private final Decisions decisions;
    private final ObjectMapper json;
    private final WebhookSettings settings;
    private final WebhookAuthenticator authenticator;
    private final Clock clock = Clock.systemUTC();

    WebhookController(WebhookJudge judge, WebhookAudit audit, Decisions decisions, ObjectMapper json,
                      WebhookSettings settings, WebhookAuthenticator authenticator) {
        this.authenticator = authenticator;
        this.judge = judge;
        this.audit = audit;
        this.decisions = decisions;
        this.json = json;
        this.settings = settings;
    }

    @Operation(summary = "Judge a provisioning event",
            description = "Evaluates the SCIM user of a user.created event against the live ruleset, records the "
                    + "decision, then answers. A retried delivery (same x-genesys-webhook-id, or the same body) gets "
                    + "the first answer again.",
            security = @SecurityRequirement(name = "webhookToken"),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = WebhookApiDoc.Envelope.class))))
    @ApiResponse(responseCode = "200", description = "ACCEPTED (with warnings from warn-mode rules), or IGNORED",
            content = @Content(mediaType = "application/json", schema = @Schema(oneOf = {
                    WebhookResponses.Accepted.class, WebhookResponses.Ignored.class})))
    @ApiResponse(responseCode = "400", description = "REJECTED by the policy (the tutorial's body), or MALFORMED",
            content = @Content(mediaType = "application/json", schema = @Schema(oneOf = {
                    WebhookResponses.Rejected.class, WebhookResponses.Error.class})))
    @ApiResponse(responseCode = "401", description = "UNAUTHENTICATED: missing or invalid webhook credentials",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookResponses.Error.class)))
    @ApiResponse(responseCode = "409", description = "DELIVERY_ID_REUSED: the x-genesys-webhook-id was used before "
            + "for a different body; recorded, not judged", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = WebhookResponses.Error.class)))
    @ApiResponse(responseCode = "413", description = "PAYLOAD_TOO_LARGE", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = WebhookResponses.Error.class)))
    @ApiResponse(responseCode = "415", description = "UNSUPPORTED_MEDIA_TYPE", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = WebhookResponses.Error.class)))
    @ApiResponse(responseCode = "503", description = "AUDIT_UNAVAILABLE: nothing was decided; retry after Retry-After",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookResponses.Error.class)))
    @PostMapping("/webhook/scim-validation")
    ResponseEntity<String> validate(@RequestHeader(name = WEBHOOK_ID_HEADER, required = false) String webhookId,
                                    @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                    @RequestHeader(name = REQUEST_ID_HEADER, required = false) String requestId,
                                    @io.swagger.v3.oas.annotations.Parameter(hidden = true) HttpServletRequest request)
            throws IOException {
        UUID id = DecisionIds.next();
        Instant now = clock.instant();
        MDC.put("decisionId", id.toString());
        try {
            return answer(id, now, webhookId, contentType, requestId, request);
        } finally {
            MDC.remove("decisionId");
        }
    }

    private ResponseEntity<String> answer(UUID id, Instant now, String webhookId, String contentType, String requestId,
                                          HttpServletRequest request) throws IOException {
        WebhookDecision decision = judge(id, now, DeliveryId.of(webhookId), contentType, request);
        StoredDecision stored;
        try {
            stored = record(decision, requestId);
            if (stored.kind() == StoredDecision.Kind.KEY_REUSED) {
                LOG.warn("Delivery id of decision {} was used before for another body (decision {}); answering 409",
                        id, stored.decisionId());
                decision = judge.keyReused(decision);
                stored = record(decision, requestId);
            }
        } catch (UnstorableDecision e) {
            LOG.warn("Decision {} could not be stored as received ({}); answering 400", id, e.getMessage());
            decision = judge.unstorable(decision, e.field(), e.getMessage());
            try {
                stored = record(decision, requestId);
            } catch (DataAccessException | TransactionException | UnstorableDecision again) {
                return unavailable(id, now, decision.webhookId(), again);
            }
        } catch (DataAccessException | TransactionException e) {
            return unavailable(id, now, decision.webhookId(), e);
        }
        if (stored.replayed()) {
            LOG.debug("Delivery {} was seen before; answering decision {} again", webhookId, stored.decisionId());
        } else if (decision.outcome() == WebhookDecision.Outcome.ACCEPTED) {
            LOG.debug("Decision {} ({}) for delivery {}", id, decision.outcome(), webhookId);
        } else {
            LOG.info("Decision {} ({}) for delivery {}", id, decision.outcome(), webhookId);
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(stored.httpStatus()).contentType(MediaType.APPLICATION_JSON);
        if (stored.httpStatus() == 401) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return answer.body(stored.responseBody());
    }

    private StoredDecision record(WebhookDecision decision, String requestId) throws JsonProcessingException {
        return decisions.record(audit.record(decision, json.writeValueAsString(decision.body()), requestId));
    }

    private WebhookDecision judge(UUID id, Instant now, DeliveryId delivery, String contentType,
                                  HttpServletRequest request) throws IOException {
        long limit = settings.maxBodySize().toBytes();
        byte[] body = request.getContentLengthLong() > limit ? null : readAtMost(request.getInputStream(), limit);
        String refusal = authenticator.refusal(request, body == null ? new byte[0] : body);
        if (refusal != null) {
            return judge.unauthenticated(id, now, delivery, refusal);
        }
        if (delivery.tooLong()) {
            return judge.refuse(id, now, delivery, 400, "MALFORMED_PAYLOAD",
                    WEBHOOK_ID_HEADER + " is longer than " + DeliveryId.MAX_LENGTH + " characters");
        }
        if (!WebhookJudge.isJson(contentType)) {
            return judge.refuse(id, now, delivery, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
        }
        if (body == null) {
            return judge.refuse(id, now, delivery, 413, "PAYLOAD_TOO_LARGE", "the body is larger than " + limit + " bytes");
        }
        return judge.judge(id, now, delivery, body);
    }

    private ResponseEntity<String> unavailable(UUID id, Instant now, String webhookId, RuntimeException cause)
            throws JsonProcessingException {
        LOG.error("Decision {} could not be recorded, answering 503: {}", id, cause instanceof DataAccessException e
                ? e.getMostSpecificCause().toString() : cause.toString());
        Error body = new Error("UNAVAILABLE", "AUDIT_UNAVAILABLE",
                "the decision could not be recorded, so none was made; retry later", webhookId, now.toString(), null);
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, Long.toString(settings.retryAfter().toSeconds()))
                .contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
    }

    /** The body, or null when it is longer than {@code limit} (sent without a Content-Length, say). */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        return bytes.length > limit ? null : bytes;
    }
}
