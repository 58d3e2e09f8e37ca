package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;
import org.scimgate.support.SlowRules;

/**
 * The one case the capability check cannot prove: how long an evaluation takes. Every firing ends,
 * and at most {@link Ruleset#MAX_FIRINGS} fire, but a firing may run long (in code the operator
 * allows, or in time exponential in the rule's length). The evaluation runs on the caller's thread;
 * once the timeout has passed Drools fires no further rule, and the user is refused.
 */
class EvaluationDeadlineTest {

    /** Each firing takes 50 ms; the chain would go on for 10,000 firings (over eight minutes) without the deadline. */
    private static final String CHAIN = """
            package chain;
            import org.scimgate.scim.ScimUser;
            import org.scimgate.policy.Violation;

            declare Counter
                n : int
            end

            rule "Slow names start a count"
                @code("CHAIN_START") @severity("low") @mode("enforce")
            when
                ScimUser( userName != null, userName.startsWith("slow-") )
            then
                insert(new Counter(0));
            end

            rule "Each count takes long"
                @code("CHAIN_STEP") @severity("low") @mode("dryrun")
            when
                $c : Counter( n < 1000000 )
            then
                org.scimgate.support.SlowRules.runsLongIf("slow", "slow", 50);
                modify($c) { setN($c.getN() + 1) };
            end
            """;

    @TempDir
    Path dir;

    private Ruleset ruleset() throws IOException {
        Files.writeString(dir.resolve("chain.drl"), CHAIN);
        // Compiled without the examples check: a disallowed example of this chain would itself overrun.
        return new RulesetCompiler(Clock.systemUTC(), RuleCapabilities.of(List.of(SlowRules.ALLOW)),
                Duration.ofSeconds(2)).compile(dir);
    }

    private static ScimUser user(String userName) throws IOException {
        return ScimUserReader.read(new ObjectMapper().readTree("{\"userName\":\"" + userName + "\"}"), "user");
    }

    @Test
    // A guard against a hang (compiling takes a minute or two on a loaded machine), not a speed target. Without
    // the deadline the chain runs 10,000 firings of 50 ms and ends in POLICY_FIRING_LIMIT: the assertion fails it.
    @Timeout(900)
    void stopsFiringOnceTheTimeoutHasPassedAndRefusesTheUserOnTheCallersThread() throws IOException {
        try (Ruleset ruleset = ruleset()) {
            assertThat(ruleset.evaluateOrRefuse(user("jane@acme.com")).violations()).as("judged in time").isEmpty();

            Evaluation refused = ruleset.evaluateOrRefuse(user("slow-1@acme.com"));

            assertThat(refused.violations()).extracting(PolicyViolation::code).containsExactly(EvaluationTimedOut.CODE);
            assertThat(refused.verdict()).isEqualTo(Verdict.REJECTED);
            assertThat(SlowRules.lastThread()).as("evaluated on the caller's thread").isSameAs(Thread.currentThread());
        }
    }

    @Test
    @Timeout(900) // a guard against a hang, not a speed target
    void theDryRunPathGetsNoDecisionAndTheNextUserIsJudged() throws IOException {
        try (Ruleset ruleset = ruleset()) {
            assertThatThrownBy(() -> ruleset.evaluate(user("slow-2@acme.com"))).isInstanceOf(EvaluationTimedOut.class)
                    .hasMessageContaining("did not finish evaluating within 2000 ms");

            assertThat(ruleset.evaluate(user("jane@acme.com")).violations()).isEmpty();
        }
    }
}
