package org.scimgate.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.scimgate.audit.DecisionIds;
import org.scimgate.audit.StoredDecision;
import org.scimgate.audit.UnstorableDecision;
import org.scimgate.decision.Decisions;
import org.scimgate.edge.Refusals;
import org.scimgate.security.WebhookAuthenticator;
import org.scimgate.webhook.WebhookResponses.Error;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * {@code POST /webhook/scim-validation}, the tutorial's endpoint. Every answer is recorded before
 * it is given: when the audit cannot be written, the caller gets 503 and retries, never a decision
 * that left no trace. A retried delivery gets the first answer again.
 *
 * <p>A servlet filter ahead of Spring Security and Spring MVC rather than a controller (ADR 0001):
 * the webhook authenticates its caller itself (a refused call must still be audited), so the
 * security chain only permitted it, and the chain's header firewall and MVC's dispatch cost more
 * CPU per request than the whole decision. Its response headers come from Spring Security's own
 * header writers, as the chain would write them. {@code http.server.requests} still times it,
 * under its own path. Other methods on this path are answered 405 here.
 */
final class WebhookFilter extends HttpFilter {

    static final String PATH = "/webhook/scim-validation";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookFilter.class);
    static final String WEBHOOK_ID_HEADER = "x-genesys-webhook-id";
    static final String REQUEST_ID_HEADER = "X-Request-ID";

    private final WebhookJudge judge;
    private final WebhookAudit audit;
    private final Decisions decisions;
    private final ObjectMapper json;
    private final WebhookSettings settings;
    private final WebhookAuthenticator authenticator;
    private final Refusals refusals;
    private final Clock clock = Clock.systemUTC();
    /** Spring Security's default header writers, in the order its {@code HeadersConfigurer} applies them. */
    private static final java.util.List<HeaderWriter> HEADERS = java.util.List.of(new XContentTypeOptionsHeaderWriter(),
            new XXssProtectionHeaderWriter(), new CacheControlHeadersWriter(), new HstsHeaderWriter(),
            new XFrameOptionsHeaderWriter(XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY));

    WebhookFilter(WebhookJudge judge, WebhookAudit audit, Decisions decisions, ObjectMapper json,
                    WebhookSettings settings, WebhookAuthenticator authenticator, Refusals refusals) {
        this.authenticator = authenticator;
        this.refusals = refusals;
        this.judge = judge;
        this.audit = audit;
        this.decisions = decisions;
        this.json = json;
        this.settings = settings;
    }

    /** What the endpoint answers: status, JSON body and the headers some statuses need. */
    private record Answer(int status, String body, String wwwAuthenticate, String retryAfter) {
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(PATH));
        if (!PATH.equals(request.getRequestURI())) {
            // The path as sent, not as the container normalised it for mapping: "//", "/./",
            // "/x/../", ";param" and percent-encoded variants are not this endpoint (Spring
            // Security's firewall refused them when the endpoint sat behind it).
            write(request, response, new Answer(404, json.writeValueAsString(new Error("MALFORMED", "NOT_FOUND",
                    "no such path; the webhook is " + PATH, null, clock.instant().toString(), null)), null, null));
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader(HttpHeaders.ALLOW, "POST");
            write(request, response, new Answer(405, json.writeValueAsString(new Error("MALFORMED", "METHOD_NOT_ALLOWED",
                    PATH + " takes POST only", null, clock.instant().toString(), null)), null, null));
            return;
        }
        UUID id = DecisionIds.next();
        Instant now = clock.instant();
        MDC.put("decisionId", id.toString());
        try {
            write(request, response, answer(id, now, request));
        } finally {
            MDC.remove("decisionId");
        }
    }

    private Answer answer(UUID id, Instant now, HttpServletRequest request) throws IOException {
        String webhookId = request.getHeader(WEBHOOK_ID_HEADER);
        DeliveryId delivery = DeliveryId.of(webhookId);
        // The caller first, from its headers: an unauthenticated body is never read (with an HMAC
        // secret, only once the signature header is well formed and within its window).
        String refusal = authenticator.refusalBeforeBody(request);
        long limit = settings.maxBodySize().toBytes();
        byte[] body = null;
        if (refusal == null) {
            body = request.getContentLengthLong() > limit ? null : readAtMost(request.getInputStream(), limit);
            if (authenticator.signed()) {
                refusal = authenticator.refusal(request, body == null ? new byte[0] : body);
            }
        }
        if (refusal != null) {
            return refused(request, now, delivery, refusal);
        }
        String requestId = requestId(request.getHeader(REQUEST_ID_HEADER));
        WebhookDecision decision = judge(id, now, delivery, request.getContentType(), body);
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
        return new Answer(stored.httpStatus(), stored.responseBody(), stored.httpStatus() == 401 ? "Bearer" : null, null);
    }

    private StoredDecision record(WebhookDecision decision, String requestId) throws JsonProcessingException {
        return decisions.record(audit.record(decision, json.writeValueAsString(decision.body()), requestId));
    }

    /**
     * A caller refused before authentication: counted with its address's other refusals of this
     * minute, which one audit row records (its id is in the body), and answered 401, or 429 once
     * the address is over its budget. No row of its own, whatever it sent.
     */
    private Answer refused(HttpServletRequest request, Instant now, DeliveryId delivery, String reason)
            throws JsonProcessingException {
        Refusals.Refusal refusal = refusals.refused(request, "webhook", reason, delivery.echo());
        LOG.debug("Webhook caller refused before authentication ({}), counted under {}", reason, refusal.rowId());
        if (refusal.throttled()) {
            return new Answer(429, json.writeValueAsString(new Error("UNAUTHENTICATED", "TOO_MANY_REFUSALS",
                    "too many requests without valid credentials from this address; retry after "
                            + refusal.retryAfterSeconds() + " s", delivery.echo(), now.toString(), refusal.rowId())),
                    null, Long.toString(refusal.retryAfterSeconds()));
        }
        return new Answer(401, json.writeValueAsString(new Error("UNAUTHENTICATED", "UNAUTHENTICATED", reason,
                delivery.echo(), now.toString(), refusal.rowId())), "Bearer", null);
    }

    private WebhookDecision judge(UUID id, Instant now, DeliveryId delivery, String contentType, byte[] body) {
        long limit = settings.maxBodySize().toBytes();
        if (delivery.hasControlCharacters()) {
            return judge.refuse(id, now, delivery, 400, "MALFORMED_PAYLOAD",
                    WEBHOOK_ID_HEADER + " contains control or formatting characters");
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

    private Answer unavailable(UUID id, Instant now, String webhookId, RuntimeException cause)
            throws JsonProcessingException {
        LOG.error("Decision {} could not be recorded, answering 503: {}", id, cause instanceof DataAccessException e
                ? e.getMostSpecificCause().toString() : cause.toString());
        Error body = new Error("UNAVAILABLE", "AUDIT_UNAVAILABLE",
                "the decision could not be recorded, so none was made; retry later", webhookId, now.toString(), null);
        return new Answer(503, json.writeValueAsString(body), null, Long.toString(settings.retryAfter().toSeconds()));
    }

    /**
     * Writes the answer with the headers Spring Security adds to every other response: the body
     * is JSON about a person, never to be cached, sniffed or framed (HSTS over HTTPS only).
     */
    private static void write(HttpServletRequest request, HttpServletResponse response, Answer answer)
            throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        for (HeaderWriter writer : HEADERS) {
            writer.writeHeaders(request, response);
        }
        if (answer.wwwAuthenticate() != null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, answer.wwwAuthenticate());
        }
        if (answer.retryAfter() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, answer.retryAfter());
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The caller's request id as stored: none when it has a character a log line could be forged with. */
    private static String requestId(String header) {
        return header == null || header.chars().anyMatch(DeliveryId::control) ? null : header;
    }

    /** The body, or null when it is longer than {@code limit} (sent without a Content-Length, say). */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        return bytes.length > limit ? null : bytes;
    }
}
