package org.scimgate.impact;

import java.time.Instant;

/**
 * A judged decision as the audit stored it: its outcome, the codes of its violations (comma-separated)
 * and the SCIM user it judged, as JSON without the attributes the rules marked sensitive. The
 * webhook stored its whole envelope and judged the envelope's {@code data}; the gateway stored the
 * user it judged (for a PATCH, the user with the patch applied): {@code user} is that user either way.
 */
record PastDecision(String decisionId, Instant receivedAt, String source, String userName, String outcome,
                    String codes, String user) {
}
