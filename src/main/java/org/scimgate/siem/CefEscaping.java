package org.scimgate.siem;

import java.util.Map;
import java.util.StringJoiner;

/**
 * CEF's escaping. In the header, {@code \} and {@code |} are escaped and a line break becomes a
 * space; in an extension value, {@code \} and {@code =} are escaped and CR and LF are written as
 * {@code \r} and {@code \n}. Any other control character, and the Unicode line and paragraph
 * separators some readers break lines on, become a space in both. So a value, whatever it holds,
 * stays one value on one line: it cannot close the header, start a field or start a record.
 */
final class CefEscaping {

    private CefEscaping() {
    }

    static String header(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '|' -> out.append("\\|");
                default -> out.append(breaksLines(c) ? ' ' : c);
            }
        }
        return out.toString();
    }

    static String extension(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '=' -> out.append("\\=");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(breaksLines(c) ? ' ' : c);
            }
        }
        return out.toString();
    }

    /** {@code key=value} pairs separated by spaces, in the map's order; absent values are left out. */
    static String extensions(Map<String, ?> fields) {
        StringJoiner out = new StringJoiner(" ");
        fields.forEach((key, value) -> {
            if (!key.matches("[A-Za-z0-9]+")) {
                throw new IllegalArgumentException("a CEF extension key is alphanumeric, not '" + key + "'");
            }
            if (value != null && !value.toString().isEmpty()) {
                out.add(key + "=" + extension(value.toString()));
            }
        });
        return out.toString();
    }

    private static boolean breaksLines(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
