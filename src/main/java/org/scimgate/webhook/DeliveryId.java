package org.scimgate.webhook;

import java.util.regex.Pattern;

/**
 * The {@code x-genesys-webhook-id} a request came with. A blank value, or a data-action template
 * that did not render ({@code {{webhookId}}}, {@code ${input.id}}), would be one key shared by
 * every caller: such an id counts as absent. An id over {@link #MAX_LENGTH} characters is refused.
 *
 * @param header the header as sent, null when there was none
 * @param key    the id the idempotency key is made of, null when the request has none that counts
 */
record DeliveryId(String header, String key) {

    static final int MAX_LENGTH = 256;
    private static final Pattern UNRENDERED_TEMPLATE = Pattern.compile(".*(\\{\\{.*}}|\\$\\{.*}).*", Pattern.DOTALL);

    static DeliveryId of(String header) {
        if (header == null || header.isBlank() || UNRENDERED_TEMPLATE.matcher(header).matches()) {
            return new DeliveryId(header, null);
        }
        return new DeliveryId(header, header.strip());
    }

    boolean tooLong() {
        return key != null && key.length() > MAX_LENGTH;
    }

    /** The id to echo in an answer and store in the audit: none that counts is echoed as it came, if short. */
    String echo() {
        if (header == null || header.isBlank()) {
            return null;
        }
        return header.length() > MAX_LENGTH ? header.substring(0, MAX_LENGTH) + "…" : header;
    }
}
