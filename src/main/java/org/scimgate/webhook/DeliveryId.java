package org.scimgate.webhook;

/**
 * The {@code x-genesys-webhook-id} a request came with. A blank value, or a data-action template
 * that did not render ({@code {{webhookId}}}, {@code ${input.id}}), would be one key shared by
 * every caller: such an id counts as absent. An id over {@link #MAX_LENGTH} characters, or with a
 * control or formatting character (a line break forging a log line, a bidi override reversing what
 * an analyst reads), is refused; it is echoed and stored with those characters escaped.
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

    /** True when the id has a character no id needs and a log, CSV or terminal may misread. */
    boolean hasControlCharacters() {
        return header != null && header.chars().anyMatch(DeliveryId::control);
    }

    static boolean control(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || c == '\u2028' || c == '\u2029';
    }

    boolean tooLong() {
        return key != null && key.length() > MAX_LENGTH;
    }

    /** The id to echo in an answer and store in the audit: none that counts is echoed as it came, if short. */
    String echo() {
        if (header == null || header.isBlank()) {
            return null;
        }
        String shown = header.length() > MAX_LENGTH ? header.substring(0, MAX_LENGTH) + "…" : header;
        return hasControlCharacters() ? escaped(shown) : shown;
    }

    /** {@code text} with each control or formatting character written as {@code \\uXXXX}. */
    static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (control(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
