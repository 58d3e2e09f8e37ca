package org.scimgate.policy;

import java.util.List;

/**
 * The rules could not judge a user: a rule threw, anything at all, an {@link Error} such as a
 * {@link StackOverflowError} or an {@link OutOfMemoryError} of a rule's own making included (it was
 * thrown on the evaluation's worker, whose stack and allocations are gone with it), or the rules
 * fired more often than {@link Ruleset#MAX_FIRINGS} allows. No decision was reached: the live path
 * refuses the user with {@link #code()} and records it, fail closed.
 */
public class RulesFailed extends RuntimeException {

    /** A rule threw while evaluating the user. */
    public static final String FAILED = "POLICY_EVALUATION_FAILED";
    /** The rules kept triggering each other past the cap on firings for one evaluation. */
    public static final String FIRING_LIMIT = "POLICY_FIRING_LIMIT";

    private final String code;

    private RulesFailed(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** What a rule threw, as a failure of the rules (itself if it already is one). */
    static RulesFailed of(String rulesetVersion, Throwable thrown) {
        if (thrown instanceof RulesFailed failed) {
            return failed;
        }
        return new RulesFailed(FAILED, "ruleset " + rulesetVersion + " failed while evaluating a user: "
                + thrown.getClass().getName(), thrown);
    }

    static RulesFailed firingLimit(String rulesetVersion, int fired) {
        return new RulesFailed(FIRING_LIMIT, "ruleset " + rulesetVersion + " fired " + fired
                + " rules for one user, the most one evaluation may; a rule is probably re-triggering itself", null);
    }

    public String code() {
        return code;
    }

    /** The decision an entry point records and answers: refused, because the policy could not judge. */
    Evaluation refusal(Ruleset ruleset) {
        String why = code.equals(FIRING_LIMIT)
                ? "the rules fired more than " + Ruleset.MAX_FIRINGS + " times for this user"
                : "the policy failed while evaluating this user";
        return ruleset.evaluation(List.of(new PolicyViolation("user", code, why + ", so the user is refused until "
                + "the rules are fixed", Severity.HIGH, Mode.ENFORCE, null)), List.of());
    }
}
