package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;

/**
 * Evaluations share a pool of Drools sessions: nothing of one user — a fact, a violation, a fired
 * rule, a listener — may reach the next evaluation on the same session, on any thread, even after
 * an evaluation that failed.
 */
class PooledSessionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Ruleset ruleset;
    private static ScimUser compliant;
    private static ScimUser violating;

    @BeforeAll
    static void compile() throws Exception {
        ruleset = new RulesetCompiler(Clock.systemUTC()).compile(Path.of("rules"));
        compliant = ScimUserReader.read(JSON.readTree("""
                {"userName":"jane.doe@acme.com","emails":[{"value":"jane.doe@acme.com","primary":true}],
                 "department":"Engineering","costCenter":"CC-1234"}"""), "data");
        violating = ScimUserReader.read(JSON.readTree("""
                {"userName":"x@evil.com","emails":[{"value":"x@evil.com","primary":true}],
                 "department":"Marketing","costCenter":"12345"}"""), "data");
    }

    @AfterAll
    static void dispose() {
        ruleset.close();
    }

    @Test
    void eightThreadsAlternatingUsersEachGetTheirOwnVerdict() throws Exception {
        Evaluation expectedViolating = ruleset.evaluate(violating);
        assertThat(expectedViolating.violations()).hasSize(4); // email, login, department, cost center
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(threads.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        boolean bad = (i + Thread.currentThread().getId()) % 3 == 0;
                        Evaluation e = bad ? ruleset.evaluate(violating) : ruleset.evaluate(compliant);
                        boolean right = bad
                                ? e.violations().equals(expectedViolating.violations())
                                        && e.firedRules().equals(expectedViolating.firedRules())
                                : e.violations().isEmpty() && e.firedRules().isEmpty();
                        if (!right) {
                            wrong.add((bad ? "violating" : "compliant") + " got " + e.violations() + " " + e.firedRules());
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get()).isEmpty();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aSessionThatFailedLeavesNothingBehind(@TempDir Path dir) throws Exception {
        // Throws for one userName only, after another rule has inserted its violation; a third rule
        // notices any user left over in the session.
        Files.writeString(dir.resolve("rules.drl"), """
                package t;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;
                rule "flag x" @code("T_X") @severity("high") @mode("enforce")
                when ScimUser( userName == "x" )
                then insert(new Violation("userName", "x")); end
                rule "explode" @code("T_BOOM") @severity("high") @mode("enforce") salience -1
                when ScimUser( userName == "x" )
                then throw new IllegalArgumentException("boom"); end
                rule "a session holds one user at a time" @code("T_LEAK") @severity("high") @mode("enforce")
                when accumulate( ScimUser(), $n : count(); $n > 1 )
                then insert(new Violation("userName", "users left over in the session")); end
                """);
        try (Ruleset failing = new RulesetCompiler(Clock.systemUTC()).compile(dir)) {
            ScimUser x = ScimUserReader.read(JSON.readTree("{\"userName\":\"x\"}"), "data");
            ScimUser y = ScimUserReader.read(JSON.readTree("{\"userName\":\"y\"}"), "data");
            for (int i = 0; i < 50; i++) {
                assertThatThrownBy(() -> failing.evaluate(x)).isNotNull();
                Evaluation after = failing.evaluate(y);
                assertThat(after.violations()).isEmpty();
                assertThat(after.firedRules()).isEmpty();
            }
        }
    }
}
