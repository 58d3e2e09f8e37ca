package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;

/** A shadow that loops for some users stands aside while its cut-off evaluations still spin. */
class ShadowStandsAsideTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(90) // a guard against a hang, not a speed target
    void aLoopingShadowJudgesNothingWhileItsCutOffEvaluationsSpin(@TempDir Path dir) throws Exception {
        CutOffEvaluations.awaitNoneRunning();
        Files.writeString(dir.resolve("spin.drl"), """
                package spin;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;
                function boolean spins(String s) {
                    // Spins in library code the operator allowed (rules cannot loop), and ends by itself
                    // after 8 s, so the test run gets its cores back.
                    org.scimgate.support.SlowRules.spinWhile(s, "loop-", 8);
                    return s.startsWith("bad-");
                }
                rule "No bad names" @code("T_BAD") @severity("high") @mode("enforce")
                when ScimUser( userName != null, spins(userName) )
                then insert(new Violation("userName", "bad")); end
                """);
        Files.writeString(dir.resolve("examples.yaml"), """
                "No bad names":
                  allowed:
                    - name: a good name
                      user: {userName: good-1}
                  disallowed:
                    - name: a bad name
                      user: {userName: bad-0}
                      expect: [T_BAD]
                """);
        try (ShadowRuleset shadow = ShadowRuleset.load(dir, Clock.systemUTC(),
                new RulesetCompiler(Clock.systemUTC(),
                        RuleCapabilities.of(java.util.List.of(org.scimgate.support.SlowRules.ALLOW)), Duration.ofMillis(200)))) {
            assertThat(shadow.active()).isTrue();
            assertThat(shadow.evaluateOrRefuse(user("bad-1")).verdict()).isEqualTo(Verdict.REJECTED);

            for (int i = 0; i < PolicyEngine.MAX_STILL_RUNNING; i++) {
                assertThat(shadow.evaluateOrRefuse(user("loop-" + i)).violations())
                        .extracting(PolicyViolation::code).containsExactly(EvaluationTimedOut.CODE);
            }
            assertThat(BoundedEvaluation.stillRunning()).isEqualTo(PolicyEngine.MAX_STILL_RUNNING);
            assertThat(shadow.evaluateOrRefuse(user("bad-2"))).as("stands aside").isNull();

            CutOffEvaluations.awaitNoneRunning();
            assertThat(shadow.evaluateOrRefuse(user("bad-3")).verdict()).isEqualTo(Verdict.REJECTED);
        }
    }

    private static ScimUser user(String name) throws Exception {
        return ScimUserReader.read(JSON.readTree("{\"userName\":\"" + name + "\"}"), "data");
    }
}
