package org.scimgate.siem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * A record of its own that another module sends to the SIEM about a decision (for example the
 * outcome of a remediation action): {@code type} says what it is, {@code eventId} is the id a
 * receiver deduplicates on (the sender keeps it stable across redeliveries), {@code decisionId}
 * correlates it to the decision's own record, {@code detail} is the sender's content.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SiemNotice(String source, String type, String eventId, String timestamp, UUID decisionId,
                         JsonNode detail) implements SiemEvent {

    public SiemNotice(String type, String eventId, String timestamp, UUID decisionId, JsonNode detail) {
        this(SiemRecord.SOURCE, type, eventId, timestamp, decisionId, detail);
    }

    @Override
    public String eventTime() {
        return timestamp;
    }
}
