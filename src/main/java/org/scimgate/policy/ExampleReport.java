package org.scimgate.policy;

import java.util.List;

/**
 * The outcome of running every rule's examples: one line per example, and the problems that are
 * not an example's (a rule without examples, an example naming no rule, a file that is not YAML).
 */
record ExampleReport(List<Result> results, List<RuleProblem> problems) {

    public ExampleReport {
        results = List.copyOf(results);
        problems = List.copyOf(problems);
    }

    /**
     * One example, written at {@code line} and {@code column} of its file (0 when unknown), for the
     * rule written at {@code ruleAt}: {@code difference} says what went wrong, null when it passed.
     */
    public record Result(String file, int line, int column, String rule, String ruleAt, String kind, String name,
                         String difference) {

        public boolean passed() {
            return difference == null;
        }

        @Override
        public String toString() {
            return passed() ? "PASS " + file + ": \"" + rule + "\" " + kind + " \"" + name + "\""
                    : "FAIL " + problem();
        }

        /** A failed example as a problem of the ruleset: where the example is, the rule, and where the rule is. */
        RuleProblem problem() {
            return new RuleProblem(file, line, column, rule, kind + " example \"" + name + "\" failed: " + difference
                    + (ruleAt == null ? "" : " (the rule is at " + ruleAt + ")"), null);
        }
    }

    public boolean passed() {
        return problems.isEmpty() && results.stream().allMatch(Result::passed);
    }

    public List<Result> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    /** Every failure and problem as a problem of the ruleset, for refusing it. */
    public List<RuleProblem> asProblems() {
        List<RuleProblem> all = new java.util.ArrayList<>(problems);
        failures().forEach(f -> all.add(f.problem()));
        return all;
    }
}
