package org.scimgate.policy;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the examples leave untested: rules whose examples miss an allowed or a disallowed case, and,
 * given the rules that fired in the stored history, rules that never fired there.
 */
final class ExampleCoverage {

    private ExampleCoverage() {
    }

    /** Prints the coverage; returns how many gaps it found. */
    static int print(Ruleset ruleset, Set<String> firedInHistory, PrintStream out) {
        Map<String, List<RuleExample>> examples = ruleset.examplesByRule();
        int gaps = 0;
        out.println("coverage of ruleset " + ruleset.version() + ":");
        for (PolicyRule rule : ruleset.rules()) {
            List<RuleExample> own = examples.getOrDefault(rule.name(), List.of());
            long allowed = own.stream().filter(e -> e.kind().equals("allowed")).count();
            long disallowed = own.size() - allowed;
            StringBuilder missing = new StringBuilder();
            if (allowed == 0) {
                missing.append(" no allowed example;");
            }
            if (disallowed == 0) {
                missing.append(" no disallowed example;");
            }
            if (firedInHistory != null && !firedInHistory.contains(rule.name())) {
                missing.append(" never fired in the stored history;");
            }
            if (missing.length() > 0) {
                gaps++;
            }
            out.println((missing.length() == 0 ? "  COVERED " : "  GAP     ") + "\"" + rule.name() + "\" (" + rule.code()
                    + "): " + allowed + " allowed, " + disallowed + " disallowed"
                    + (missing.length() == 0 ? "" : " -" + missing.substring(0, missing.length() - 1)));
        }
        out.println(gaps == 0 ? "every rule has both kinds of example" + (firedInHistory == null ? "" : " and fired in the history")
                : gaps + " rule(s) with gaps");
        return gaps;
    }
}
