package org.scimgate.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one rules file as Drools builds it, with what locating a problem in it needs: lines
 * and columns, the top-level blocks (rules, functions, queries, declared types) found by their
 * headers even when the file does not parse, the imports, and a copy whose comments and string
 * literals are blanked so that a word in a message is not found inside a string. Positions are
 * 1-based, as editors show them.
 */
final class DrlText {

    /** A 1-based line and column. */
    record Position(int line, int column) {
    }

    /** A top-level construct: {@code kind} is rule, function, query or declare; it runs to the next one. */
    record Block(String kind, String name, int start, int end) {

        boolean isRule() {
            return kind.equals("rule");
        }
    }

    private static final Pattern HEADER = Pattern.compile(
            "(?m)^[ \\t]*(rule|function|query|declare)\\b[ \\t]*(\"((?:[^\"\\\\\\n]|\\\\.)*)\"|'([^'\\n]*)'|[^\\n]*)");
    private static final Pattern FUNCTION_NAME = Pattern.compile("(\\w+)\\s*\\(");
    private static final Pattern IMPORT = Pattern.compile("(?m)^[ \\t]*import\\s+(?:static\\s+)?([\\w.$]+)\\s*;?");

    private final String text;
    private final String code;
    private final int[] lineStarts;
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, String> imports = new LinkedHashMap<>();

    DrlText(String text) {
        this.text = text;
        this.code = blank(text);
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        Matcher m = HEADER.matcher(text);
        List<int[]> found = new ArrayList<>();
        List<String[]> named = new ArrayList<>();
        while (m.find()) {
            if (!code.startsWith(m.group(1), m.start(1))) {
                continue; // the word sits in a comment or a string
            }
            String kind = m.group(1);
            String name = m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(2).strip();
            if (kind.equals("function")) {
                Matcher f = FUNCTION_NAME.matcher(name);
                name = f.find() ? f.group(1) : name;
            } else if (m.group(3) == null && m.group(4) == null) {
                name = name.split("[\\s({]", 2)[0];
            }
            found.add(new int[] {m.start()});
            named.add(new String[] {kind, name});
        }
        for (int i = 0; i < found.size(); i++) {
            int end = i + 1 < found.size() ? found.get(i + 1)[0] : text.length();
            blocks.add(new Block(named.get(i)[0], named.get(i)[1], found.get(i)[0], end));
        }
        Matcher i = IMPORT.matcher(code);
        while (i.find()) {
            String type = i.group(1);
            imports.putIfAbsent(type.substring(type.lastIndexOf('.') + 1), type);
        }
    }

    String text() {
        return text;
    }

    /** The text with comments and the contents of string literals replaced by spaces. */
    String code() {
        return code;
    }

    List<Block> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    /** Imported types by simple name. */
    Map<String, String> imports() {
        return Collections.unmodifiableMap(imports);
    }

    Position position(int offset) {
        int line = lineOf(offset);
        return new Position(line, offset - lineStarts[line - 1] + 1);
    }

    int lineOf(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    /** The offset of a 1-based line and 1-based column, clamped to the text. */
    int offset(int line, int column) {
        int l = Math.min(Math.max(line, 1), lineStarts.length);
        return Math.min(lineStarts[l - 1] + Math.max(column - 1, 0), text.length());
    }

    /** The block the offset falls in, or null before the first one. */
    Block blockAt(int offset) {
        Block at = null;
        for (Block b : blocks) {
            if (b.start() <= offset) {
                at = b;
            }
        }
        return at;
    }

    Block rule(String name) {
        return blocks.stream().filter(b -> b.isRule() && b.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Where {@code word} first appears as code (not in a comment or string) between the offsets, as
     * a whole word where it starts or ends with a letter; -1 when it does not.
     */
    int find(String word, int from, int to) {
        if (word == null || word.isBlank()) {
            return -1;
        }
        Pattern p = Pattern.compile((Character.isJavaIdentifierPart(word.charAt(0)) ? "(?<![\\w$])" : "")
                + Pattern.quote(word) + (Character.isJavaIdentifierPart(word.charAt(word.length() - 1)) ? "(?![\\w$])" : ""));
        Matcher m = p.matcher(code).region(Math.max(from, 0), Math.min(to, code.length()));
        return m.find() ? m.start() : -1;
    }

    /** The text of the line, without its line break. */
    String line(int line) {
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] : text.length();
        return text.substring(start, end).stripTrailing();
    }

    int lines() {
        return lineStarts.length;
    }

    /** Comments and the contents of string and character literals as spaces; line breaks kept. */
    static String blank(String text) {
        StringBuilder out = new StringBuilder(text);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (c == '/' && next == '/' || c == '#' && (i == 0 || text.charAt(i - 1) == '\n')) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    out.setCharAt(i++, ' ');
                }
            } else if (c == '/' && next == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
                for (; i < end; i++) {
                    if (text.charAt(i) != '\n') {
                        out.setCharAt(i, ' ');
                    }
                }
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < text.length() && text.charAt(i) != c && text.charAt(i) != '\n') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        out.setCharAt(i++, ' ');
                    }
                    out.setCharAt(i++, ' ');
                }
                i++;
            } else {
                i++;
            }
        }
        return out.toString();
    }
}
