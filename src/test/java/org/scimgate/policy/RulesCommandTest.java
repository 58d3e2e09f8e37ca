package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scimgate.cli.Scimgate;
import org.scimgate.support.CliRun;
import org.scimgate.support.TestRules;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The analysts' command line and the examples that travel with each rule. */
class RulesCommandTest {

    @TempDir
    Path dir;

    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();

    /** {@code scimgate rules ARGS}; what it prints adds up over the runs of a test. */
    private int run(String... args) {
        List<String> command = new ArrayList<>(List.of("rules"));
        command.addAll(List.of(args));
        CliRun run = CliRun.of(Map.of(), command.toArray(String[]::new));
        out.append(run.out());
        err.append(run.err());
        return run.exit();
    }

    private String out() {
        return out.toString();
    }

    private String err() {
        return err.toString();
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static final String RULE = """
            package contractors;
            import org.scimgate.scim.ScimUser;
            import org.scimgate.policy.Violation;

            rule "Contractors need an employee number"
                @code("POLICY_CONTRACTOR_NUMBER") @severity("low") @mode("warn")
            when
                ScimUser( userName != null, userName.startsWith("ext-"), employeeNumber == null )
            then
                insert(new Violation("employeeNumber", "Contractor accounts need an employee number."));
            end
            """;

    private static final String EXAMPLES = """
            "Contractors need an employee number":
              allowed:
                - name: an employee
                  user: {userName: jane}
              disallowed:
                - name: a contractor without a number
                  user: {userName: ext-bob}
                  expect: [POLICY_CONTRACTOR_NUMBER]
            """;

    @Test
    void checkListsTheRulesOfASoundDirectory() throws IOException {
        write("contractors/contractors.drl", RULE);
        write("contractors/examples.yaml", EXAMPLES);
        assertThat(run("check", dir.toString())).isZero();
        assertThat(out()).contains("OK: ruleset").contains("POLICY_CONTRACTOR_NUMBER [warn, low]")
                .contains("(contractors/contractors.drl)");
    }

    /** The verdict of the service's own load of {@code dir}: null when it takes the rules, else why it refuses them. */
    private String serviceRefuses() {
        try (PolicyEngine engine = PolicyEngine.load(dir, java.time.Clock.systemUTC(), RulesCommand.compiler(List.of()))) {
            return null;
        } catch (RulesetRejected e) {
            return e.problems().toString();
        }
    }

    @Test
    void checkSaysOkExactlyWhenTheServiceWouldLoadTheRules() throws IOException {
        Map<String, String> examples = new java.util.LinkedHashMap<>();
        examples.put("sound", EXAMPLES);
        examples.put("no examples at all", null);
        examples.put("no disallowed example", EXAMPLES.substring(0, EXAMPLES.indexOf("  disallowed:")));
        examples.put("a failing example", EXAMPLES.replace("expect: [POLICY_CONTRACTOR_NUMBER]", "expect: [POLICY_OTHER]"));
        examples.put("examples of a rule that does not exist", EXAMPLES + "\"Nobody\":\n  allowed: []\n");
        for (Map.Entry<String, String> ruleset : examples.entrySet()) {
            Files.deleteIfExists(dir.resolve("contractors/examples.yaml"));
            write("contractors/contractors.drl", RULE);
            if (ruleset.getValue() != null) {
                write("contractors/examples.yaml", ruleset.getValue());
            }
            String refused = serviceRefuses();
            int exit = run("check", dir.toString());
            assertThat(exit).as("%s: the service %s it, check exits %d: %s", ruleset.getKey(),
                    refused == null ? "takes" : "refuses", exit, err()).isEqualTo(refused == null ? 0 : RulesCommand.FAILED);
            assertThat(refused == null).as(ruleset.getKey()).isEqualTo(ruleset.getKey().equals("sound"));
        }
        assertThat(out()).containsOnlyOnce("OK: ruleset");
        assertThat(err()).contains("contractors/contractors.drl:5:1 rule \"Contractors need an employee number\": "
                        + "the rule needs at least one allowed example")
                .contains("needs at least one disallowed example")
                .contains("expected codes [POLICY_OTHER] but got [POLICY_CONTRACTOR_NUMBER]")
                .contains("examples for \"Nobody\", but no rule has that name");
    }

    @Test
    void evalFailOnRefusalExitsThreeOnlyWhenTheUserIsRejected() throws IOException {
        write("contractors/contractors.drl", RULE.replace("@mode(\"warn\")", "@mode(\"enforce\")"));
        Path contractor = dir.resolve("contractor.json");
        Files.writeString(contractor, "{\"userName\":\"ext-bob\"}");
        Path employee = dir.resolve("employee.json");
        Files.writeString(employee, "{\"userName\":\"jane\"}");

        assertThat(run("eval", contractor.toString(), dir.toString())).as("without the flag").isZero();
        assertThat(run("eval", "--fail-on-refusal", contractor.toString(), dir.toString())).isEqualTo(RulesCommand.REFUSED);
        assertThat(out()).contains("decision: REJECTED");
        assertThat(run("eval", employee.toString(), dir.toString(), "--fail-on-refusal")).isZero();

        write("contractors/contractors.drl", RULE);
        assertThat(run("eval", "--fail-on-refusal", contractor.toString(), dir.toString()))
                .as("a warning is not a refusal").isZero();
        assertThat(out()).contains("decision: ACCEPTED_WITH_WARNINGS");
    }

    @Test
    void evalSaysWhyItCannotReadThePayload() throws IOException {
        write("contractors/contractors.drl", RULE);
        Path missing = dir.resolve("nope.json");
        assertThat(run("eval", missing.toString(), dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(err()).contains("Cannot read " + missing + ": no such file");

        assertThat(run("eval", dir.resolve("contractors").toString(), dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(err()).contains("Cannot read " + dir.resolve("contractors") + ": it is a directory, not a JSON file");

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\n  \"userName\": \"jane\",\n  \"active\": tru\n}\n");
        assertThat(run("eval", broken.toString(), dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(err()).containsPattern(java.util.regex.Pattern.quote(broken + " is not JSON at line 3, column ") + "\\d+: ");

        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "");
        assertThat(run("eval", empty.toString(), dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(err()).contains(empty + " is empty");

        CliRun stdin = CliRun.withInput(Map.of(), "{\"userName\": }", "rules", "eval", "-", dir.toString());
        assertThat(stdin.exit()).isEqualTo(RulesCommand.FAILED);
        assertThat(stdin.err()).contains("standard input is not JSON at line 1, column");
        assertThat(out()).doesNotContain("decision:");
    }

    @Test
    void checkPrintsEveryErrorAsFileLineColumnAndFails() throws IOException {
        write("contractors/contractors.drl", RULE.replace("employeeNumber == null", "employeeNumber == "));
        assertThat(run("check", dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(err()).containsPattern("contractors/contractors\\.drl:8:\\d+ ").contains("error(s)");
    }

    @Test
    void checkAndTestPrintACompileErrorAsTheAnalystWroteItNeverAsGeneratedJava() {
        String expected = "organization/organization.drl:14:53 rule \"Department is required\": The method getUserName() "
                + "is undefined for the type ScimUser. Hint: ScimUser is a record";
        String dir = AnalystErrorsTest.broken("bean-getter").toString();
        assertThat(run("check", dir)).isEqualTo(RulesCommand.FAILED);
        assertThat(run("test", dir)).isEqualTo(RulesCommand.FAILED);
        assertThat(err().split(java.util.regex.Pattern.quote(expected), -1)).as(err()).hasSize(3);
        assertThat(err()).contains("The ruleset has 1 error(s).").doesNotContain("src/main/java").doesNotContain("Lambda");
    }

    @Test
    void testPassesWhenEveryRuleHasPassingExamples() throws IOException {
        write("contractors/contractors.drl", RULE);
        write("contractors/examples.yaml", EXAMPLES);
        assertThat(run("test", dir.toString())).isZero();
        assertThat(out()).contains("PASS contractors/examples.yaml: \"Contractors need an employee number\" allowed \"an employee\"")
                .contains("2 passed, 0 failed");
    }

    @Test
    void testNamesTheFileTheExampleAndTheDifference() throws IOException {
        write("contractors/contractors.drl", RULE);
        write("contractors/examples.yaml", EXAMPLES.replace("expect: [POLICY_CONTRACTOR_NUMBER]",
                "expect: [POLICY_SOMETHING_ELSE]"));
        assertThat(run("test", dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(out()).contains("FAIL contractors/examples.yaml:6:7 rule \"Contractors need an employee number\": "
                + "disallowed example \"a contractor without a number\" failed: expected codes [POLICY_SOMETHING_ELSE] "
                + "but got [POLICY_CONTRACTOR_NUMBER] (the rule is at contractors/contractors.drl:5)")
                .contains("1 passed, 1 failed");
    }

    @Test
    void testFailsARuleWithoutExamples() throws IOException {
        write("contractors/contractors.drl", RULE);
        assertThat(run("test", dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(out()).contains("FAIL contractors/contractors.drl:5:1 rule \"Contractors need an employee number\": "
                + "the rule needs at least one allowed example");
        write("contractors/examples.yaml", """
                "Contractors need an employee number":
                  allowed:
                    - name: an employee
                      user: {userName: jane}
                "A rule that does not exist":
                  allowed: []
                """);
        assertThat(run("test", dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(out()).contains("needs at least one disallowed example")
                .contains("examples for \"A rule that does not exist\", but no rule has that name");
    }

    @Test
    void evalShowsTheDecisionAndTheRulesThatFired() throws IOException {
        write("contractors/contractors.drl", RULE);
        Path payload = dir.resolve("payload.json");
        Files.writeString(payload, "{\"eventType\":\"user.created\",\"data\":{\"userName\":\"ext-bob\"}}");
        assertThat(run("eval", payload.toString(), dir.toString())).isZero();
        assertThat(out()).contains("decision: ACCEPTED_WITH_WARNINGS")
                .contains("POLICY_CONTRACTOR_NUMBER [warn] employeeNumber: Contractor accounts need an employee number.")
                .contains("\"Contractors need an employee number\"");
        Files.writeString(payload, "{\"userName\": 5}");
        assertThat(run("eval", payload.toString(), dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(err()).contains("user.userName must be a string");
    }

    @Test
    void unknownCommandsPrintTheUsage() {
        assertThat(run("deploy")).isEqualTo(Scimgate.USAGE);
        assertThat(err()).contains("Unmatched argument at index 1: 'deploy'")
                .contains("Run 'scimgate rules --help' for its usage.");
    }

    @Test
    @Timeout(10) // a guard against a hang, not a speed target: a backtracking engine would never finish
    void aCatastrophicPatternAnswersAtOnce() {
        ReferencePattern evil = ReferencePattern.of("evil", "^(a+)+$");
        assertThat(evil.allows("a".repeat(50_000) + "!")).isFalse();
        assertThat(evil.allows("a".repeat(50_000))).isTrue();
        ReferencePattern nested = ReferencePattern.of("nested", "^(([a-z])+.)+[A-Z]([a-z])+$");
        assertThat(nested.allows("a".repeat(30_000) + "1")).isFalse();
    }

    /** The issue's rule, beside a sound one with examples so that only the capability check can refuse. */
    private Path writeTheIssuesRule() throws IOException {
        Path target = dir.getParent().resolve(dir.getFileName() + "-pwned-by-drl");
        write("contractors/contractors.drl", RULE + TestRules.WRITES_A_FILE.formatted(target));
        write("contractors/examples.yaml", EXAMPLES + """
                "harmless looking":
                  allowed:
                    - name: anyone
                      user: {userName: jane}
                  disallowed:
                    - name: anyone else
                      user: {userName: bob}
                """);
        return target;
    }

    @Test
    void checkRefusesARuleThatWritesAFileNamingTheRuleAndTheCall() throws IOException {
        Path target = writeTheIssuesRule();
        assertThat(run("check", dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(err()).contains("contractors/contractors.drl:20:5 rule \"harmless looking\": "
                + "java.nio.file.Files.writeString is not allowed in rules");
        assertThat(target).doesNotExist();
    }

    @Test
    void testAndEvalRefuseARuleThatWritesAFileWithoutRunningIt() throws IOException {
        Path target = writeTheIssuesRule();
        assertThat(run("test", dir.toString())).isEqualTo(RulesCommand.FAILED);
        Path payload = dir.resolve("payload.json");
        Files.writeString(payload, "{\"userName\":\"jane\"}");
        assertThat(run("eval", payload.toString(), dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(err()).contains("java.nio.file.Files.writeString is not allowed in rules");
        assertThat(out()).doesNotContain("PASS").doesNotContain("decision:");
        assertThat(target).doesNotExist();
    }

    @Test
    void allowAddsTypesToTheAllowListAsTheServicesSettingDoes() throws IOException {
        write("contractors/contractors.drl", RULE.replace("insert(new Violation(\"employeeNumber\", \"Contractor accounts need an employee number.\"));",
                "insert(new Violation(\"employeeNumber\", \"bits \" + new java.util.BitSet().size()));"));
        write("contractors/examples.yaml", EXAMPLES);
        assertThat(run("check", dir.toString())).isEqualTo(RulesCommand.FAILED);
        assertThat(err()).contains("new java.util.BitSet is not allowed in rules");
        assertThat(run("--allow", "java.util.BitSet", "check", dir.toString())).isZero();
        assertThat(run("--allow=java.util.*", "check", dir.toString())).isZero();
        assertThat(run("check", "--allow", "java.util.BitSet", dir.toString())).as("on the command too").isZero();
        assertThat(run("--allow", "java.util.*Set", "check", dir.toString())).isEqualTo(Scimgate.USAGE);
    }

    @Test
    @Timeout(60) // a guard against a hang, not a speed target
    void testRefusesAnExampleThatOverrunsTheTimeout() throws IOException {
        write("contractors/contractors.drl", RULE.replace("employeeNumber == null", "employeeNumber == null, spin(userName)")
                + """
                function boolean spin(String s) {
                    // Rules cannot loop: this runs long in library code the operator allowed, past the time limit.
                    org.scimgate.support.SlowRules.runsLongIf(s, "ext-", 1000);
                    return true;
                }
                """);
        write("contractors/examples.yaml", EXAMPLES);
        System.setProperty("scimgate.policy.evaluation-timeout", "200ms");
        try {
            assertThat(run("--allow", org.scimgate.support.SlowRules.ALLOW, "test", dir.toString()))
                    .isEqualTo(RulesCommand.FAILED);
        } finally {
            System.clearProperty("scimgate.policy.evaluation-timeout");
        }
        assertThat(out()).contains("contractors/examples.yaml:6:7 rule \"Contractors need an employee number\": disallowed "
                + "example \"a contractor without a number\" did not finish within 200 ms (a rule takes too long)");
    }
}
