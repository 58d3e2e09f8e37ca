package org.scimgate.webhook;

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

    static DeliveryId of(String header) {
        if (header == null || header.isBlank() || unrenderedTemplate(header)) {
            return new DeliveryId(header, null);
        }
        return new DeliveryId(header, header.strip());
    }

    /**
     * "{{" with "}}" after it, or "${" with "}" after it. Found with two scans, never a backtracking
     * pattern: the header is read before the caller is authenticated.
     */
    private static boolean unrenderedTemplate(String header) {
        int mustache = header.indexOf("{{");
        int dollar = header.indexOf("${");
        return mustache >= 0 && header.indexOf("}}", mustache + 2) >= 0
                || dollar >= 0 && header.indexOf('}', dollar + 2) >= 0;
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
