package org.scimgate.impact;

import java.time.Instant;

/**
 * A judged decision as the audit stored it: its outcome, its violations and its payload (without
 * the attributes the rules marked sensitive), both as the JSON text PostgreSQL returned.
 */
record PastDecision(String decisionId, Instant receivedAt, String source, String userName, String outcome,
                    String violations, String payload) {
}
