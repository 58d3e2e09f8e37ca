package org.scimgate;

import java.util.ArrayList;
import java.util.List;

/**
 * The string literals and text blocks of a Java source, as written (escapes kept), without its
 * comments and character literals: where a module's SQL lives.
 */
final class SqlLiterals {

    private SqlLiterals() {
    }

    /** Each literal with the line it starts on. */
    record Literal(int line, String text) {
    }

    static List<Literal> of(String source) {
        List<Literal> literals = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i) < 0 ? n : source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                line += count(source, i, end);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = closing(source, i + 3, "\"\"\"");
                literals.add(new Literal(line, source.substring(i + 3, end)));
                line += count(source, i, end);
                i = Math.min(n, end + 3);
            } else if (c == '"') {
                int end = closing(source, i + 1, "\"");
                literals.add(new Literal(line, source.substring(i + 1, end)));
                i = Math.min(n, end + 1);
            } else if (c == '\'') {
                i = Math.min(n, closing(source, i + 1, "'") + 1);
            } else {
                i++;
            }
        }
        return literals;
    }

    /** Where {@code delimiter} closes a literal opened before {@code from}, skipping escapes. */
    private static int closing(String source, int from, String delimiter) {
        int i = from;
        while (i < source.length()) {
            if (source.charAt(i) == '\\') {
                i += 2;
            } else if (source.startsWith(delimiter, i)) {
                return i;
            } else {
                i++;
            }
        }
        return source.length();
    }

    private static int count(String source, int from, int to) {
        int lines = 0;
        for (int i = from; i < to; i++) {
            if (source.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
