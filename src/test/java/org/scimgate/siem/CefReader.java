package org.scimgate.siem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a CEF line the way a strict receiver (logstash's cef codec) does, so tests see what a SIEM
 * would: seven header fields split on unescaped {@code |}, then {@code key=value} pairs where a value
 * runs to the next unescaped {@code key=}. A line it cannot read whole is refused, not guessed at.
 */
record CefReader(List<String> header, Map<String, String> extensions) {

    private static final Pattern PAIR = Pattern.compile("([A-Za-z0-9]+)=((?:\\\\.|[^\\\\=])*?)(?=\\s+[A-Za-z0-9]+=|\\s*$)");

    static CefReader read(String line) {
        if (line.contains("\n") || line.contains("\r")) {
            throw new IllegalArgumentException("a CEF record is one line: " + line);
        }
        List<String> header = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (header.size() < 7) {
            if (i >= line.length()) {
                throw new IllegalArgumentException("the header has " + header.size() + " fields: " + line);
            }
            char c = line.charAt(i++);
            if (c == '\\' && i < line.length()) {
                field.append(line.charAt(i++));
            } else if (c == '|') {
                header.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        String rest = line.substring(i);
        Map<String, String> extensions = new LinkedHashMap<>();
        Matcher pairs = PAIR.matcher(rest);
        int at = 0;
        while (at < rest.length() && pairs.find(at)) {
            if (!rest.substring(at, pairs.start()).isBlank()) {
                throw new IllegalArgumentException("unreadable extension text at " + at + ": " + rest);
            }
            if (extensions.put(pairs.group(1), unescape(pairs.group(2))) != null) {
                throw new IllegalArgumentException("the field " + pairs.group(1) + " appears twice: " + rest);
            }
            at = pairs.end();
        }
        if (!rest.substring(at).isBlank()) {
            throw new IllegalArgumentException("unreadable extension text at " + at + ": " + rest);
        }
        return new CefReader(List.copyOf(header), extensions);
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
