package org.scimgate.genesys;

import java.time.Instant;

/** What is known about a provisioning event when looking it up in Genesys. */
public record CorrelationQuery(String scimUserId, String userName, Instant eventTime) {
}
