package org.scimgate.policy;

/**
 * One thing wrong with a ruleset, located as precisely as Drools allows: {@code line} and
 * {@code column} are 0 when unknown, and {@link #toString()} then says so instead of printing -1.
 */
public record RuleProblem(String file, int line, int column, String message) {

    public RuleProblem {
        file = file == null || file.isBlank() ? "(ruleset)" : file;
        line = Math.max(line, 0);
        column = Math.max(column, 0);
        message = message == null ? "" : message.strip();
    }

    @Override
    public String toString() {
        String position = line > 0 ? line + ":" + column : "?:?";
        String unknown = line > 0 ? "" : " (no line reported)";
        return file + ":" + position + " " + message + unknown;
    }
}
