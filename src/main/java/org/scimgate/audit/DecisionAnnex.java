package org.scimgate.audit;

import java.util.UUID;

/**
 * Something another module keeps about a decision that the decision's view shows beside it (for
 * example its remediation): {@code GET /api/v1/decisions/{id}} adds it under {@link #name()}. The
 * audit needs no knowledge of it, so the dependency runs from that module to the audit.
 */
public interface DecisionAnnex {

    /** The field of the decision's view it appears under. */
    String name();

    /** What it holds about the decision, serialised as JSON; null when nothing (then the field is absent). */
    Object about(UUID decisionId);
}
