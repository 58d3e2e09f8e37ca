package org.scimgate.audit;

/**
 * PostgreSQL refused one decision's row for its data (SQLSTATE classes 22, 23 and 54): retrying
 * cannot help. {@code field} names the request field the refused column came from, for the
 * caller's 4xx; nothing of this decision was recorded.
 */
public class UnstorableDecision extends RuntimeException {

    private final String field;

    UnstorableDecision(String field, String reason) {
        super(field + " could not be stored: " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
