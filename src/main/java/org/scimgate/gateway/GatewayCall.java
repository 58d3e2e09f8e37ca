package org.scimgate.gateway;

import java.time.Instant;
import java.util.UUID;
import org.scimgate.audit.DecisionIds;

/** One call to the gateway: the id and time its decision is recorded under, and its SCIM operation. */
record GatewayCall(UUID id, Instant at, String operation) {

    GatewayCall(String operation) {
        this(DecisionIds.next(), Instant.now(), operation);
    }

    /** A call of the same operation under an id of its own, for a second row about it. */
    GatewayCall another() {
        return new GatewayCall(operation);
    }
}
