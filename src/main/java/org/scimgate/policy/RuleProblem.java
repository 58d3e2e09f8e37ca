package org.scimgate.policy;

/**
 * One thing wrong with a ruleset, in the analyst's terms: the file as the analyst knows it
 * (relative to the rules directory: a DRL file, a decision table, an {@code examples.yaml} or the
 * reference data), the 1-based line and column in that file (0 when unknown), the rule it concerns
 * (null when none), what is wrong and, for the common mistakes, a hint. Never a class or path that
 * Drools generated. {@link #toString()} is the one way a problem is written, wherever it is shown:
 * the command line, the log and health of a refused reload, the console and the policy API.
 */
public record RuleProblem(String file, int line, int column, String rule, String message, String hint) {

    public RuleProblem {
        file = file == null || file.isBlank() ? "(ruleset)" : file;
        line = Math.max(line, 0);
        column = line == 0 ? 0 : Math.max(column, 0);
        rule = rule == null || rule.isBlank() ? null : rule;
        message = message == null ? "" : message.strip();
        hint = hint == null || hint.isBlank() ? null : hint.strip();
    }

    /** A problem that concerns no one rule and has no hint. */
    public RuleProblem(String file, int line, int column, String message) {
        this(file, line, column, null, message, null);
    }

    /** {@code file:line:column}, {@code file:line} or {@code file}, as far as the position is known. */
    public String location() {
        return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "");
    }

    /** {@code organization/organization.drl:14:39 rule "X": what is wrong. Hint: what to write instead.} */
    @Override
    public String toString() {
        String text = location() + " " + (rule == null ? "" : "rule \"" + rule + "\": ") + message;
        if (hint == null) {
            return text;
        }
        return text + (message.matches("(?s).*[.!?:]$") ? " " : ". ") + "Hint: " + hint;
    }
}
