package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import org.scimgate.audit.DecisionIds;
import org.scimgate.audit.UnstorableDecision;
import org.scimgate.gateway.Judgement.Outcomes;
import org.scimgate.gateway.Judgement.Refused;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.genesys.GenesysUnavailable;
import org.scimgate.scim.ScimUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * The two steps every gateway write takes, for /Users and /Groups alike: its decision on file
 * before anything is sent to Genesys, then Genesys' answer on file beside it; and the reads, which
 * pass through unrecorded.
 */
@Component
class GatewayForwarding {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayForwarding.class);

    private final GenesysScim genesys;
    private final GatewayAnswers answers;
    private final GatewayAudit audit;
    private final GenesysPassThrough passThrough;
    private final Clock clock = Clock.systemUTC();

    GatewayForwarding(GenesysScim genesys, GatewayAnswers answers, GatewayAudit audit, GenesysPassThrough passThrough) {
        this.genesys = genesys;
        this.answers = answers;
        this.audit = audit;
        this.passThrough = passThrough;
    }

    /** Null once the decision is on file; otherwise the answer, and nothing may reach Genesys. */
    ResponseEntity<String> recordBeforeForwarding(GatewayCall call, GatewayDecision decision) {
        try {
            audit.record(decision);
            return null;
        } catch (UnstorableDecision e) {
            return answers.recordAndAnswer(call, Refused.malformed(400, "invalidValue", e.getMessage(), null));
        } catch (DataAccessException | TransactionException e) {
            return answers.notRecorded(call, e, ", so nothing was sent to Genesys");
        }
    }

    /**
     * Sends the write the decision of {@code call} allowed and records Genesys' answer as a row of
     * its own ({@code FORWARDED}); the answer is returned even when that row cannot be written.
     *
     * @throws GenesysUnavailable when Genesys could not be reached: nothing was changed
     */
    GenesysScim.Answer forwardAndRecord(GatewayCall call, String method, String path, String body, String ifMatch,
                                        ScimUser user, JsonNode document, boolean membership) {
        GenesysScim.Answer answer = genesys.exchange(method, path, body, ifMatch);
        try {
            audit.record(new GatewayDecision(DecisionIds.next(), clock.instant(), call.operation(), Outcomes.FORWARDED,
                    answer.status(), user, null, document, "Genesys' answer to decision " + call.id(), answer.body(),
                    answer.status(), membership));
        } catch (DataAccessException | TransactionException | UnstorableDecision e) {
            // The write was made: the identity provider must hear Genesys' answer. The decision itself is on file.
            LOG.error("Genesys answered {} to decision {}, but the answer could not be recorded: {}", answer.status(),
                    call.id(), e.toString());
        }
        LOG.info("Gateway decision {}: {} forwarded, Genesys answered {}", call.id(), call.operation(), answer.status());
        return answer;
    }

    /** A read passed through to Genesys once the caller is authenticated; nothing is recorded. */
    ResponseEntity<String> read(String operation, String authorization, String path) {
        ResponseEntity<String> refused = answers.refuse(new GatewayCall(operation), authorization);
        if (refused != null) {
            return refused;
        }
        try {
            return passThrough.relay(genesys.exchange("GET", path, null, null));
        } catch (GenesysUnavailable e) {
            return answers.genesysUnreachable();
        }
    }
}
