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

    /** One example: {@code difference} says what went wrong, null when it passed. */
    public record Result(String file, String rule, String kind, String name, String difference) {

        public boolean passed() {
            return difference == null;
        }

        @Override
        public String toString() {
            return (passed() ? "PASS " : "FAIL ") + file + ": \"" + rule + "\" " + kind + " \"" + name + "\""
                    + (passed() ? "" : " - " + difference);
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
        failures().forEach(f -> all.add(new RuleProblem(f.file(), 0, 0, "example \"" + f.name() + "\" of \""
                + f.rule() + "\" (" + f.kind() + ") failed: " + f.difference())));
        return all;
    }
}
