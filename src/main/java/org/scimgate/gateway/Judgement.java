package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.policy.Evaluation;
import org.scimgate.scim.ScimUser;

/** What the gateway made of one write before anything was sent to Genesys. */
sealed interface Judgement {

    /**
     * Not forwarded: answered {@code status} with an RFC 7644 error and recorded as {@code outcome}.
     * {@code user}, {@code evaluation} and {@code payload} are null where the request never got that far.
     */
    record Refused(String outcome, int status, String scimType, String detail, ScimUser user, Evaluation evaluation,
                   JsonNode payload) implements Judgement {

        static Refused malformed(int status, String scimType, String detail, JsonNode payload) {
            return new Refused(Outcomes.MALFORMED, status, scimType, detail, null, null, payload);
        }
    }

    /**
     * Compliant ({@code outcome} is the verdict): {@code document} is what Genesys receives, as a
     * conditional write when {@code ifMatch} is set.
     */
    record Compliant(String outcome, ScimUser user, Evaluation evaluation, ObjectNode document, String ifMatch)
            implements Judgement {
    }

    /** A PATCH whose user Genesys would not give: its answer goes back to the caller as it is. */
    record Relayed(GenesysScim.Answer answer) implements Judgement {
    }

    /** The outcomes a gateway row can have (the audit's {@code decision_audit_outcome_check}). */
    final class Outcomes {
        static final String MALFORMED = "MALFORMED";
        static final String UNAUTHENTICATED = "UNAUTHENTICATED";
        static final String FORWARDED = "FORWARDED";
        static final String UNAVAILABLE = "UNAVAILABLE";
        /** Genesys answered something scimgate cannot work with: not the caller's fault. */
        static final String UPSTREAM_ERROR = "UPSTREAM_ERROR";
        /** The caller's If-Match names a version of the user Genesys no longer holds. */
        static final String PRECONDITION_FAILED = "PRECONDITION_FAILED";

        private Outcomes() {
        }
    }
}
