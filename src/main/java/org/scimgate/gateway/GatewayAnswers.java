package org.scimgate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.scimgate.audit.UnstorableDecision;
import org.scimgate.edge.Refusals;
import org.scimgate.gateway.Judgement.Outcomes;
import org.scimgate.gateway.Judgement.Refused;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.genesys.GenesysUnavailable;
import org.scimgate.security.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The gateway's own answers, each an RFC 7644 error recorded before it is given: a caller refused
 * at the door, a write refused by the judge, Genesys out of reach, and the audit out of reach.
 */
@Component
class GatewayAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayAnswers.class);

    private final GatewaySettings settings;
    private final GenesysScim genesys;
    private final GatewayAudit audit;
    private final ObjectMapper json;
    private final Refusals refusals;

    GatewayAnswers(GatewaySettings settings, GenesysScim genesys, GatewayAudit audit, ObjectMapper json,
                   Refusals refusals) {
        this.refusals = refusals;
        this.settings = settings;
        this.genesys = genesys;
        this.audit = audit;
        this.json = json;
    }

    /** Null when the caller may proceed; otherwise the answer, audited when the caller was refused. */
    ResponseEntity<String> refuse(GatewayCall call, String authorization) {
        if (!settings.enabled() || !genesys.configured()) {
            return error(503, "The SCIM gateway is not configured: set SCIMGATE_SCIM_TOKEN and "
                    + "GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET", false);
        }
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (Credentials.matches(presented, settings.scimToken())) {
            return null;
        }
        // Counted with this address's other refusals of the minute, in one audit row; no row of its own.
        String detail = "Send the SCIM token scimgate was configured with as 'Authorization: Bearer <token>'";
        Refusals.Refusal refusal = refusals.refused(
                ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest(), "gateway",
                presented == null ? "missing credentials" : "invalid credentials", null);
        LOG.debug("Gateway call {} refused before authentication, counted under {}", call.operation(), refusal.rowId());
        if (refusal.throttled()) {
            return ResponseEntity.status(429).header(HttpHeaders.CONTENT_TYPE, GenesysPassThrough.SCIM_JSON)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()))
                    .body(toJson(ScimError.of(429, null, "Too many requests without valid credentials from this "
                            + "address; retry after " + refusal.retryAfterSeconds() + " s")));
        }
        return ResponseEntity.status(401).header(HttpHeaders.CONTENT_TYPE, GenesysPassThrough.SCIM_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").body(toJson(ScimError.of(401, null, detail)));
    }

    /** A write not made because Genesys could not be reached: a row of its own, answered 503. */
    ResponseEntity<String> unavailable(GatewayCall call, GenesysUnavailable e) {
        LOG.warn("Gateway decision {}: Genesys unreachable, {} not made: {}", call.id(), call.operation(), e.getMessage());
        // A row of its own: the decision to accept may already be on file under the call's id.
        return recordAndAnswer(call.another(), new Refused(Outcomes.UNAVAILABLE, 503, null,
                "Genesys Cloud cannot be reached, so the change was not made; retry later", null, null, null));
    }

    /** A read Genesys could not answer: nothing to record, nothing was decided. */
    ResponseEntity<String> genesysUnreachable() {
        return error(503, "Genesys Cloud cannot be reached; retry later", true);
    }

    /** The decision could not be recorded, so it was not acted on. */
    ResponseEntity<String> notRecorded(GatewayCall call, RuntimeException e, String consequence) {
        LOG.error("Gateway decision {} could not be recorded{}: {}", call.id(), consequence,
                e instanceof DataAccessException d ? d.getMostSpecificCause().toString() : e.toString());
        return error(503, "The decision could not be recorded" + consequence + "; retry later", true);
    }

    /** Records the refusal, then answers it; PostgreSQL refusing the row's content is answered 400 naming the field. */
    ResponseEntity<String> recordAndAnswer(GatewayCall call, Refused refused) {
        return recordAndAnswer(call, refused, false);
    }

    /** As {@link #recordAndAnswer(GatewayCall, Refused)}; {@code membership} for a refused change of group membership. */
    ResponseEntity<String> recordAndAnswer(GatewayCall call, Refused refused, boolean membership) {
        String body = toJson(ScimError.of(refused.status(), refused.scimType(), refused.detail()));
        try {
            audit.record(new GatewayDecision(call.id(), call.at(), call.operation(), refused.outcome(), refused.status(),
                    refused.user(), refused.evaluation(), refused.payload(), refused.detail(), body, null, membership));
        } catch (UnstorableDecision e) {
            // Recorded without the content PostgreSQL refused; the caller hears which field it was.
            return refused.user() == null && refused.payload() == null && refused.detail().equals(e.getMessage())
                    ? notRecorded(call, e, "")
                    : recordAndAnswer(call, Refused.malformed(400, "invalidValue", e.getMessage(), null));
        } catch (DataAccessException | TransactionException e) {
            return notRecorded(call, e, "");
        }
        LOG.info("Gateway decision {}: {} {}", call.id(), call.operation(), refused.outcome());
        return answer(refused.status(), body, refused.status() == 503);
    }

    /** An RFC 7644 error that is not a decision (the gateway is off, Genesys cannot be read, the audit is down). */
    ResponseEntity<String> error(int status, String detail, boolean retry) {
        return answer(status, toJson(ScimError.of(status, null, detail)), retry);
    }

    private ResponseEntity<String> answer(int status, String body, boolean retry) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
                .header(HttpHeaders.CONTENT_TYPE, GenesysPassThrough.SCIM_JSON);
        if (retry) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(settings.retryAfter().toSeconds()));
        }
        return response.body(body);
    }

    String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
