package org.scimgate.siem;

/**
 * A step of a four-eyes policy change (proposed, approved, live, rejected, withdrawn), sent to the
 * SIEM beside the decisions so that who changed the policy is on record outside the database too.
 * {@code seq} is the step's number in the database; a receiver deduplicates on {@link #eventId()}.
 */
public record PolicyChange(String source, String type, long seq, String proposalId, String event, String actor,
                           String reason, String baseVersion, String candidateVersion, String timestamp)
        implements SiemEvent {

    public static PolicyChange of(long seq, String proposalId, String event, String actor, String reason,
                                  String baseVersion, String candidateVersion, String timestamp) {
        return new PolicyChange(SiemRecord.SOURCE, "policy-change", seq, proposalId, event, actor, reason, baseVersion,
                candidateVersion, timestamp);
    }

    @Override
    public String eventId() {
        return "policy-change-" + seq;
    }

    @Override
    public String eventTime() {
        return timestamp;
    }
}
