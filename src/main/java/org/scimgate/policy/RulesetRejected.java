package org.scimgate.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A ruleset that does not compile or is incomplete; carries every problem found, not just the first. */
public class RulesetRejected extends RuntimeException {

    private final transient List<RuleProblem> problems;

    public RulesetRejected(List<RuleProblem> problems) {
        super("The ruleset has " + problems.size() + " error(s):\n" + problems.stream()
                .map(RuleProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
