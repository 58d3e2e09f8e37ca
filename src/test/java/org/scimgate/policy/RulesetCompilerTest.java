package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.scim.Email;
import org.scimgate.scim.ScimUser;

class RulesetCompilerTest {

    private static final String HEADER = """
            package generated;
            import org.scimgate.scim.ScimUser;
            import org.scimgate.policy.Violation;
            """;

    @TempDir
    Path dir;

    private final RulesetCompiler compiler = new RulesetCompiler(Clock.systemUTC());

    @Test
    void reportsSyntaxErrorsWithFileAndLine() throws IOException {
        write("policies/broken.drl", HEADER + """
                rule "broken"
                    @code("X")
                when
                    ScimUser( userName == )
                then
                end
                """);
        assertThatThrownBy(() -> compiler.compile(dir))
                .isInstanceOfSatisfying(RulesetRejected.class, e -> {
                    assertThat(e.problems()).isNotEmpty();
                    RuleProblem first = e.problems().get(0);
                    assertThat(first.file()).isEqualTo("policies/broken.drl");
                    assertThat(first.line()).isEqualTo(7);
                    assertThat(first.toString()).startsWith("policies/broken.drl:7:");
                });
    }

    @Test
    void reportsUnknownFieldsNamingTheFile() throws IOException {
        write("unknown.drl", HEADER + """
                rule "unknown field"
                    @code("X")
                when
                    ScimUser( shoeSize > 3 )
                then
                end
                """);
        assertThatThrownBy(() -> compiler.compile(dir))
                .isInstanceOfSatisfying(RulesetRejected.class, e ->
                        assertThat(e.problems()).anySatisfy(p -> assertThat(p.file()).isEqualTo("unknown.drl")));
    }

    @Test
    void refusesDuplicateRuleNames() throws IOException {
        write("a.drl", HEADER + rule("same name", "A"));
        write("b.drl", HEADER + rule("same name", "B"));
        assertThatThrownBy(() -> compiler.compile(dir))
                .isInstanceOfSatisfying(RulesetRejected.class, e ->
                        assertThat(e.getMessage()).containsIgnoringCase("same name"));
    }

    @Test
    void readsARulesRemedyAndRefusesOneItDoesNotKnow() throws IOException {
        write("remedy.drl", HEADER + """
                rule "switched off"
                    @code("A") @remedy("deactivate")
                when
                    ScimUser()
                then
                end
                rule "only reported"
                    @code("B")
                when
                    ScimUser()
                then
                end
                """);
        Ruleset ruleset = compiler.compile(dir);
        assertThat(ruleset.rules()).extracting(PolicyRule::name, PolicyRule::remedy)
                .contains(org.assertj.core.groups.Tuple.tuple("switched off", Remedy.DEACTIVATE),
                        org.assertj.core.groups.Tuple.tuple("only reported", Remedy.NONE));
        write("remedy.drl", HEADER + """
                rule "deleted"
                    @code("C") @remedy("delete")
                when
                    ScimUser()
                then
                end
                """);
        assertThatThrownBy(() -> compiler.compile(dir))
                .isInstanceOfSatisfying(RulesetRejected.class, e -> assertThat(e.problems())
                        .extracting(RuleProblem::rule, RuleProblem::message)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("deleted",
                                "@remedy must be none or deactivate, not \"delete\".")));
    }

    @Test
    void refusesRulesWithoutCodeOrWithAnUnknownMode() throws IOException {
        write("meta.drl", HEADER + """
                rule "no code"
                when
                    ScimUser()
                then
                end
                rule "bad mode"
                    @code("B") @mode("sometimes")
                when
                    ScimUser()
                then
                end
                """);
        assertThatThrownBy(() -> compiler.compile(dir))
                .isInstanceOfSatisfying(RulesetRejected.class, e -> assertThat(e.problems())
                        .extracting(RuleProblem::toString)
                        .containsExactlyInAnyOrder("meta.drl:4:1 rule \"no code\": the rule has no @code. Hint: give it "
                                        + "one, e.g. @code(\"POLICY_DEPARTMENT_DENIED\"), after its name.",
                                "meta.drl:10:16 rule \"bad mode\": @mode must be enforce, warn or dryrun, not \"sometimes\"."));
    }

    @Test
    void reportsInvalidReferenceDataWithItsLine() throws IOException {
        write("ok.drl", HEADER + rule("ok", "OK"));
        write("reference-data.yaml", "lists:\n  a: [x\npatterns:\n  p: '(unclosed'\n");
        assertThatThrownBy(() -> compiler.compile(dir))
                .isInstanceOfSatisfying(RulesetRejected.class, e -> assertThat(e.problems())
                        .allSatisfy(p -> assertThat(p.file()).isEqualTo("reference-data.yaml")));
        write("reference-data.yaml", "patterns:\n  p: '(unclosed'\n");
        assertThatThrownBy(() -> compiler.compile(dir))
                .hasMessageContaining("patterns.p is not a valid RE2 regular expression");
    }

    @Test
    void refusesADirectoryWithoutRules() {
        assertThatThrownBy(() -> compiler.compile(dir)).hasMessageContaining("holds no .drl file or decision table");
        assertThatThrownBy(() -> compiler.compile(dir.resolve("missing"))).hasMessageContaining("does not exist");
    }

    @Test
    void compilesAndFiresMoreThanTenRules() throws IOException {
        // Drools compiles more than ten rules in parallel on the common pool, which has broken before.
        String rules = IntStream.range(0, 25).mapToObj(i -> rule("rule " + i, "CODE_" + i))
                .collect(Collectors.joining());
        write("many.drl", HEADER + rules);
        try (Ruleset ruleset = compiler.compile(dir)) {
            assertThat(ruleset.rules()).hasSize(25);
            Evaluation evaluation = ruleset.evaluate(new ScimUser(null, null, "u", null,
                    List.of(new Email(0, "u@acme.com", "work", true)), null, null, null, null, null, true));
            assertThat(evaluation.violations()).hasSize(25);
            assertThat(evaluation.firedRules()).hasSize(25);
        }
    }

    @Test
    void versionIsAHashOfTheContent() throws IOException {
        write("one.drl", HEADER + rule("one", "ONE"));
        String first;
        try (Ruleset ruleset = compiler.compile(dir)) {
            first = ruleset.version();
        }
        try (Ruleset same = compiler.compile(dir)) {
            assertThat(same.version()).isEqualTo(first);
        }
        write("reference-data.yaml", "lists:\n  a: [x]\n");
        try (Ruleset changed = compiler.compile(dir)) {
            assertThat(changed.version()).isNotEqualTo(first).hasSize(16);
        }
    }

    private static String rule(String name, String code) {
        return """
                rule "%s"
                    @code("%s")
                when
                    ScimUser( userName != null )
                then
                    insert(new Violation("userName", "%s"));
                end
                """.formatted(name, code, name);
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static final String TABLE = """
            RuleSet,tables
            Import,\"org.scimgate.scim.ScimUser, org.scimgate.policy.Violation\"
            RuleTable Departments
            NAME,METADATA,CONDITION,ACTION
            ,,$user : ScimUser,
            ,\"code(\"\"$param\"\")\",\"%s == \"\"$param\"\"\",\"insert(new Violation(\"\"department\"\", \"\"refused\"\"));\"
            Rule,Code,Department,
            Marketing is refused,TABLE_DEPARTMENT,Marketing,x
            """;

    @Test
    void turnsADecisionTableIntoDrlOnceAndHandsDroolsThatDrl() {
        RuleSources sources = RuleSources.of(java.util.Map.of("tables/departments.drl.csv",
                TABLE.formatted("department").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(sources.drl().entrySet()).singleElement().satisfies(built -> {
            assertThat(built.getKey()).endsWith(".drl").startsWith("tables/departments.drl.csv");
            assertThat(built.getValue()).contains("rule \"Marketing is refused\"");
        });
        assertThat(sources.sourceOf(sources.drl().keySet().iterator().next())).isEqualTo("tables/departments.drl.csv");
    }

    @Test
    void compilesADecisionTableAndNamesItAsTheRulesFile() throws IOException {
        write("tables/departments.drl.csv", TABLE.formatted("department"));
        try (Ruleset ruleset = compiler.compile(dir)) {
            assertThat(ruleset.rule("Marketing is refused").file()).isEqualTo("tables/departments.drl.csv");
            assertThat(ruleset.rule("Marketing is refused").code()).isEqualTo("TABLE_DEPARTMENT");
        }
    }

    @Test
    void reportsAnErrorInADecisionTableAtTheTable() throws IOException {
        write("tables/departments.drl.csv", TABLE.formatted("shoeSize"));
        assertThatThrownBy(() -> compiler.compile(dir))
                .isInstanceOfSatisfying(RulesetRejected.class, e -> assertThat(e.problems()).isNotEmpty()
                        .allSatisfy(p -> assertThat(p.file()).isEqualTo("tables/departments.drl.csv")));
    }

}
