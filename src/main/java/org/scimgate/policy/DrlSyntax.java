package org.scimgate.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The two syntax mistakes Drools' parser notices only later, on another line, and follows with
 * noise: a rule without {@code end} (its consequence runs on into the next rule) and a parenthesis
 * that is never closed (or closes nothing). Found in the text itself, at the line where the analyst
 * has to look, so that they replace what the parser said about that rule.
 */
final class DrlSyntax {

    private DrlSyntax() {
    }

    /** The mistakes found in the file, with the offset of the block each starts in. */
    static List<Found> of(String file, DrlText drl) {
        List<Found> found = new ArrayList<>();
        List<DrlText.Block> blocks = drl.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            DrlText.Block rule = blocks.get(i);
            if (!rule.isRule()) {
                continue;
            }
            int when = drl.find("when", rule.start(), rule.end());
            int then = drl.find("then", Math.max(when, rule.start()), rule.end());
            int end = then < 0 ? -1 : lastWord(drl, "end", then + 4, rule.end());
            if (when >= 0) {
                parentheses(file, drl, rule, when + 4, then < 0 ? rule.end() : then, "then", found);
            }
            if (then >= 0) {
                parentheses(file, drl, rule, then + 4, end < 0 ? rule.end() : end, "end", found);
            }
            if (then >= 0 && end < 0) {
                int last = lastCode(drl, then, rule.end());
                DrlText.Position at = drl.position(last);
                String next = i + 1 < blocks.size()
                        ? "runs on into " + blocks.get(i + 1).kind() + " \"" + blocks.get(i + 1).name() + "\" at line "
                                + drl.lineOf(blocks.get(i + 1).start())
                        : "runs on to the end of the file";
                found.add(new Found(rule, new RuleProblem(file, at.line(), at.column() + 1, rule.name(),
                        "the rule has no \"end\": its consequence " + next + ".",
                        "write end on a line of its own after line " + at.line() + ".")));
            }
        }
        return found;
    }

    /** A mistake and the block it was found in. */
    record Found(DrlText.Block block, RuleProblem problem) {
    }

    private static void parentheses(String file, DrlText drl, DrlText.Block rule, int from, int to, String before,
                                    List<Found> found) {
        String code = drl.code();
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = from; i < to; i++) {
            char c = code.charAt(i);
            if (c == '(') {
                open.push(i);
            } else if (c == ')') {
                if (open.isEmpty()) {
                    DrlText.Position at = drl.position(i);
                    found.add(new Found(rule, new RuleProblem(file, at.line(), at.column(), rule.name(),
                            "this \")\" closes no \"(\".", "remove it, or add the \"(\" it was meant to close.")));
                    return;
                }
                open.pop();
            }
        }
        if (!open.isEmpty()) {
            DrlText.Position at = drl.position(open.peekLast());
            found.add(new Found(rule, new RuleProblem(file, at.line(), at.column(), rule.name(),
                    "this \"(\" is never closed: a \")\" is missing before \"" + before + "\".",
                    before.equals("then") ? "close it at the end of its condition on line " + at.line()
                            + " or the lines after it." : "close it before the \";\" that ends its statement.")));
        }
    }

    private static int lastWord(DrlText drl, String word, int from, int to) {
        int last = -1;
        for (int at = drl.find(word, from, to); at >= 0; at = drl.find(word, at + word.length(), to)) {
            last = at;
        }
        return last;
    }

    /** The offset of the last character of code (not a space or a comment) in the range. */
    private static int lastCode(DrlText drl, int from, int to) {
        String code = drl.code();
        for (int i = to - 1; i >= from; i--) {
            if (!Character.isWhitespace(code.charAt(i))) {
                return i;
            }
        }
        return from;
    }
}
