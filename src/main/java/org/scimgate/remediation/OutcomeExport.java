package org.scimgate.remediation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.scimgate.siem.SiemNotice;
import org.scimgate.siem.SiemNotices;
import org.springframework.stereotype.Component;

/**
 * Sends each outcome of an action (HELD, DONE, DRYRUN, SKIPPED, FAILED, DEAD, CANCELLED) to the
 * SIEM as a record of its own, type {@value #TYPE}, correlated to its decision by
 * {@code decisionId}. The action row is the queue: an outcome counts as exported only once the SIEM
 * accepted it, so a SIEM outage delays it and loses nothing. Its {@code eventId}
 * ({@code remediation:<action id>:<outcome number>}) is stable across redeliveries.
 */
@Component
class OutcomeExport {

    static final String TYPE = "remediation";
    private static final int BATCH = 100;

    private final ActionQueue queue;
    private final SiemNotices siem;
    private final ObjectMapper json;

    OutcomeExport(ActionQueue queue, SiemNotices siem, ObjectMapper json) {
        this.queue = queue;
        this.siem = siem;
        this.json = json;
    }

    /** Sends what the SIEM has not accepted yet; returns how many outcomes it accepted. */
    int export() {
        int exported = 0;
        while (true) {
            List<ActionQueue.Unexported> due = queue.unexported(BATCH);
            if (due.isEmpty() || !siem.send(due.stream().map(this::notice).toList())) {
                return exported;
            }
            due.forEach(u -> queue.exported(u.action().id(), u.seq()));
            exported += due.size();
            if (due.size() < BATCH) {
                return exported;
            }
        }
    }

    SiemNotice notice(ActionQueue.Unexported outcome) {
        RemediationAction a = outcome.action();
        ObjectNode detail = json.createObjectNode()
                .put("actionId", a.id().toString())
                .put("action", a.action())
                .put("status", a.status())
                .put("userId", a.targetId())
                .put("userName", a.userName())
                .put("attempts", a.attempts())
                .put("answer", a.lastAnswer());
        if (a.lastStatus() != null) {
            detail.put("httpStatus", a.lastStatus());
        }
        try {
            detail.set("codes", json.readTree(a.codes()));
        } catch (java.io.IOException e) {
            detail.putArray("codes");
        }
        Instant at = a.updatedAt() == null ? Instant.now() : a.updatedAt();
        return new SiemNotice(TYPE, TYPE + ":" + a.id() + ":" + outcome.seq(), at.toString(), a.decisionId(), detail);
    }
}
