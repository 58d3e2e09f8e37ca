package org.scimgate.siem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One schema's writing of a record: a JSON object (native, ECS, OCSF) or a text line (CEF, as a
 * JSON string). Every sink sends what its mapping writes: a JSON sink as an array element, HEC as
 * the event, the file, syslog and Kafka as {@link #text}.
 */
interface SiemMapping {

    JsonNode map(SiemEvent event);

    /** The event as one line of text: a JSON object's compact form, or the line itself. */
    default String text(SiemEvent event, ObjectMapper json) {
        JsonNode node = map(event);
        if (node.isTextual()) {
            return node.asText();
        }
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a mapped SIEM record could not be written as JSON", e);
        }
    }
}
