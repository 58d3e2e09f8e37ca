package org.scimgate.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits shell text into simple commands, each a list of words with quotes removed: enough of
 * the shell to read the commands the docs show ({@code A=1 cmd 'x y' | other && third \}).
 */
final class ShellCommands {

    private ShellCommands() {
    }

    static List<List<String>> parse(String text) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, i + 1);
                end = end < 0 ? text.length() : end;
                word = word == null ? new StringBuilder() : word;
                word.append(text, i + 1, end);
                i = end + 1;
                continue;
            }
            if (c == '\\' && i + 1 < text.length()) {
                if (text.charAt(i + 1) != '\n') {
                    word = word == null ? new StringBuilder() : word;
                    word.append(text.charAt(i + 1));
                }
                i += 2;
                continue;
            }
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '(') {
                int end = closing(text, i + 1);
                word = word == null ? new StringBuilder() : word;
                word.append(text, i, end + 1);
                i = end + 1;
                continue;
            }
            boolean separator = c == '\n' || c == ';' || c == '|' || c == '&';
            if (c == '#' && word == null) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
                continue;
            }
            if (Character.isWhitespace(c) || separator) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                if (separator && !words.isEmpty()) {
                    commands.add(words);
                    words = new ArrayList<>();
                }
                i++;
                continue;
            }
            word = word == null ? new StringBuilder() : word;
            word.append(c);
            i++;
        }
        if (word != null) {
            words.add(word.toString());
        }
        if (!words.isEmpty()) {
            commands.add(words);
        }
        commands.forEach(ShellCommands::dropAssignments);
        commands.removeIf(List::isEmpty);
        return commands;
    }

    /** {@code A=1 B=2 cmd} runs {@code cmd}. */
    private static void dropAssignments(List<String> words) {
        while (!words.isEmpty() && words.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            words.remove(0);
        }
    }

    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            if (text.charAt(i) == '(') {
                depth++;
            } else if (text.charAt(i) == ')' && --depth == 0) {
                return i;
            }
        }
        return text.length() - 1;
    }
}
