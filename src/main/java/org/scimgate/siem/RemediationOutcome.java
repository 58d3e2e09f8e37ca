package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What every schema needs to know about a remediation outcome, read once from its
 * {@link SiemNotice} of type {@value #TYPE}: the action ({@code deactivate}), its status, the
 * account acted on, the decision that called for it (the correlation to the decision's own record)
 * and Genesys' answer. {@code done} and {@code failed} are both false while the action is held, a
 * dry run, skipped or cancelled: nothing was changed, and nothing failed either.
 */
record RemediationOutcome(String eventId, String time, UUID decisionId, String actionId, String action, String status,
                          String userId, String userName, int attempts, Integer httpStatus, String answer,
                          List<String> codes) {

    static final String TYPE = "remediation";

    static boolean is(SiemEvent event) {
        return event instanceof SiemNotice notice && TYPE.equals(notice.type());
    }

    static RemediationOutcome of(SiemNotice notice) {
        JsonNode d = notice.detail();
        List<String> codes = new ArrayList<>();
        d.path("codes").forEach(c -> codes.add(c.asText()));
        return new RemediationOutcome(notice.eventId(), notice.timestamp(), notice.decisionId(), text(d, "actionId"),
                text(d, "action"), text(d, "status"), text(d, "userId"), text(d, "userName"), d.path("attempts").asInt(),
                d.hasNonNull("httpStatus") ? d.get("httpStatus").asInt() : null, text(d, "answer"), List.copyOf(codes));
    }

    boolean done() {
        return "DONE".equals(status);
    }

    boolean failed() {
        return "FAILED".equals(status) || "DEAD".equals(status);
    }

    /** {@code success}, {@code failure} or {@code unknown}, as ECS and CEF's outcome say it. */
    String outcome() {
        return done() ? "success" : failed() ? "failure" : "unknown";
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
