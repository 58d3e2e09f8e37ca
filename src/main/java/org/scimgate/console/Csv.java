package org.scimgate.console;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A cell a spreadsheet would read as a formula — whose first character other than white space is
 * one of {@code = + - @ | %}, or that starts with a tab or a carriage return — is prefixed with an
 * apostrophe first (OWASP's CSV injection advice; spreadsheets trim leading spaces, no-break
 * spaces included, before they look for a formula): user names and messages in the audit come
 * from whoever called the webhook.
 */
final class Csv {

    private Csv() {
    }

    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = formula(value) ? "'" + value : value;
        boolean quote = text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static boolean formula(String value) {
        if (value.charAt(0) == '\t' || value.charAt(0) == '\r') {
            return true;
        }
        int i = 0;
        while (i < value.length() && (Character.isWhitespace(value.charAt(i)) || Character.isSpaceChar(value.charAt(i)))) {
            i++;
        }
        return i < value.length() && "=+-@|%".indexOf(value.charAt(i)) >= 0;
    }

    static String row(String... cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells[i]));
        }
        return line.append("\r\n").toString();
    }
}
