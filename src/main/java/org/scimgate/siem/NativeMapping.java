package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The record as it is: {@link SiemRecord}'s fields, or the chain checkpoint's. */
final class NativeMapping implements SiemMapping {

    private final ObjectMapper json;

    NativeMapping(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public JsonNode map(SiemEvent event) {
        return json.valueToTree(event);
    }
}
