package org.scimgate.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of a changed file against the live one, as {@code diff -u} shows it: the changed lines with
 * {@value #CONTEXT} lines of context around each change, a hunk header where lines are skipped.
 */
final class LineDiff {

    static final int CONTEXT = 2;
    /** Beyond this many line pairs (after the common start and end are set aside) the change is shown whole. */
    private static final long MAX_CELLS = 1_000_000;

    /** One line of the diff: {@code ' '} kept, {@code '-'} removed, {@code '+'} added, {@code '@'} a hunk header. */
    record Line(char kind, String text) {
        public String css() {
            return switch (kind) {
                case '-' -> "removed";
                case '+' -> "added";
                case '@' -> "hunk";
                default -> "kept";
            };
        }

        public String shown() {
            return kind == '@' ? text : kind + text;
        }
    }

    private LineDiff() {
    }

    /** The diff from {@code before} to {@code after}; empty when they hold the same lines. */
    static List<Line> of(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int start = 0;
        while (start < a.size() && start < b.size() && a.get(start).equals(b.get(start))) {
            start++;
        }
        int endA = a.size();
        int endB = b.size();
        while (endA > start && endB > start && a.get(endA - 1).equals(b.get(endB - 1))) {
            endA--;
            endB--;
        }
        List<Line> all = new ArrayList<>();
        a.subList(0, start).forEach(l -> all.add(new Line(' ', l)));
        all.addAll(middle(a.subList(start, endA), b.subList(start, endB)));
        a.subList(endA, a.size()).forEach(l -> all.add(new Line(' ', l)));
        return hunks(all);
    }

    /** The longest common subsequence of the lines that differ, or all of them out and in when that is too costly. */
    private static List<Line> middle(List<String> a, List<String> b) {
        List<Line> out = new ArrayList<>();
        if ((long) a.size() * b.size() > MAX_CELLS) {
            a.forEach(l -> out.add(new Line('-', l)));
            b.forEach(l -> out.add(new Line('+', l)));
            return out;
        }
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add(new Line(' ', a.get(i++)));
                j++;
            } else if (j < b.size() && (i == a.size() || common[i][j + 1] >= common[i + 1][j])) {
                out.add(new Line('+', b.get(j++)));
            } else {
                out.add(new Line('-', a.get(i++)));
            }
        }
        return out;
    }

    /** Only the changes and their context; a header with the line numbers before each run. */
    private static List<Line> hunks(List<Line> all) {
        List<Line> shown = new ArrayList<>();
        int lineBefore = 1;
        int lineAfter = 1;
        int lastShown = -1;
        for (int k = 0; k < all.size(); k++) {
            if (near(all, k)) {
                if (k != lastShown + 1 || lastShown < 0) {
                    shown.add(new Line('@', "@@ line " + lineBefore + " of the live file, line " + lineAfter
                            + " of the candidate @@"));
                }
                shown.add(all.get(k));
                lastShown = k;
            }
            char kind = all.get(k).kind();
            lineBefore += kind == '+' ? 0 : 1;
            lineAfter += kind == '-' ? 0 : 1;
        }
        return shown;
    }

    private static boolean near(List<Line> all, int k) {
        for (int d = Math.max(0, k - CONTEXT); d <= Math.min(all.size() - 1, k + CONTEXT); d++) {
            if (all.get(d).kind() != ' ') {
                return true;
            }
        }
        return false;
    }

    private static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        return List.of(text.replace("\r\n", "\n").split("\n", -1));
    }
}
