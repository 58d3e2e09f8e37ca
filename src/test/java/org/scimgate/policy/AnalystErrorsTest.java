package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Errors in the analyst's terms, against real broken rules files ({@code broken-rules/} in the
 * test resources): each names the file as the analyst knows it, the line and column there, and the
 * rule, once, with a hint for the common mistakes; never a class or path Drools generated.
 */
class AnalystErrorsTest {

    private static final String RULE = "Department is required";

    private final RulesetCompiler compiler = new RulesetCompiler(Clock.systemUTC());

    static Path broken(String name) {
        try {
            return Path.of(AnalystErrorsTest.class.getResource("/broken-rules/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the service's load says about the ruleset: its problems, as it reports them. */
    private static List<RuleProblem> refusal(String name) {
        try (PolicyEngine engine = PolicyEngine.load(broken(name), Clock.systemUTC(), RulesCommand.compiler(List.of()))) {
            throw new AssertionError(name + " was accepted");
        } catch (RulesetRejected e) {
            return e.problems();
        }
    }

    static Stream<String> brokenRulesets() throws IOException {
        try (Stream<Path> dirs = Files.list(broken(""))) {
            return dirs.map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRulesets")
    void everyErrorNamesTheAnalystsFileLineAndRuleAndNothingGenerated(String name) {
        List<RuleProblem> problems = refusal(name);
        assertThat(problems).isNotEmpty().doesNotHaveDuplicates();
        for (RuleProblem p : problems) {
            assertThat(p.file()).as(p.toString()).matches("organization/[\\w.-]+\\.(drl|drl\\.csv|yaml)");
            assertThat(p.line()).as(p.toString()).isPositive();
            assertThat(p.column()).as(p.toString()).isPositive();
            assertThat(p.rule() != null || p.message().startsWith("rules \"")).as(p.toString()).isTrue();
            assertThat(p.toString()).doesNotContain("src/main/java").doesNotContain(".java").doesNotContain("Lambda")
                    .doesNotContain("null Package").doesNotContain("no line").doesNotContain("?:?")
                    .doesNotContain("package organization.P").doesNotContain("Java source");
        }
    }

    @Test
    void aJavaBeanGetterInAConsequenceIsReportedAtTheDrlLineWithTheAccessorToWrite() {
        assertThat(refusal("bean-getter")).singleElement().hasToString("organization/organization.drl:14:53 rule \""
                + RULE + "\": The method getUserName() is undefined for the type ScimUser. Hint: ScimUser is a record: "
                + "its accessors have no \"get\". Write userName() in a consequence and userName in a constraint, "
                + "not getUserName().");
    }

    @Test
    void aJavaBeanGetterInAConstraintIsReportedWhereItIsWritten() {
        RuleProblem problem = refusal("bean-getter-constraint").get(0);
        assertThat(problem.location()).isEqualTo("organization/organization.drl:12:15");
        assertThat(problem.rule()).isEqualTo(RULE);
        assertThat(problem.hint()).contains("Write department() in a consequence and department in a constraint, "
                + "not getDepartment().");
    }

    @Test
    void aMissingParenthesisIsReportedOnItsOwnLineWithoutTheParsersFollowOnNoise() {
        assertThat(refusal("missing-paren")).singleElement().hasToString("organization/organization.drl:12:13 rule \""
                + RULE + "\": this \"(\" is never closed: a \")\" is missing before \"then\". Hint: close it at the end "
                + "of its condition on line 12 or the lines after it.");
    }

    @Test
    void aMissingParenthesisInAConsequenceIsReportedAtTheParenthesis() {
        assertThat(refusal("consequence-paren")).singleElement().hasToString("organization/organization.drl:14:11 rule \""
                + RULE + "\": this \"(\" is never closed: a \")\" is missing before \"end\". Hint: close it before the "
                + "\";\" that ends its statement.");
    }

    @Test
    void aMissingEndIsReportedAfterTheConsequenceItShouldClose() {
        assertThat(refusal("missing-end")).singleElement().hasToString("organization/organization.drl:14:70 rule \""
                + RULE + "\": the rule has no \"end\": its consequence runs on into rule \"Cost center is required\" at "
                + "line 16. Hint: write end on a line of its own after line 14.");
    }

    @Test
    void aMisspeltFactTypeIsReportedWhereItIsWrittenWithTheNearestType() {
        assertThat(refusal("misspelt-type")).singleElement().hasToString("organization/organization.drl:12:5 rule \""
                + RULE + "\": Unable to find class: ScimUsr. Hint: did you mean ScimUser? The types this file can use: "
                + "ScimUser, Violation.");
    }

    @Test
    void anUnknownFieldIsReportedWhereItIsWrittenWithTheNearestField() {
        RuleProblem problem = refusal("unknown-field").get(0);
        assertThat(problem.location()).isEqualTo("organization/organization.drl:12:15");
        assertThat(problem.rule()).isEqualTo(RULE);
        assertThat(problem.hint()).startsWith("ScimUser has no departmentName; did you mean department? Its fields: id, "
                + "externalId, userName");
    }

    @Test
    void aForbiddenTypeInAnEvalIsReportedOnceAtTheEval() {
        assertThat(refusal("forbidden-eval")).singleElement().hasToString("organization/organization.drl:13:11 rule \""
                + RULE + "\": java.lang.System.getenv is not allowed in rules");
    }

    @Test
    void aMistakeInADecisionTablesTemplateIsReportedOnceAtItsCellNamingItsRules() {
        assertThat(refusal("table-bean-getter")).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("organization/prefix-by-department.drl.csv:8:201");
            assertThat(p.message()).isEqualTo("rules \"Engineering cost centers start with CC-1\", \"Sales cost centers "
                    + "start with CC-2\", \"Support cost centers start with CC-3\", \"Finance cost centers start with "
                    + "CC-4\": The method getCostCenter() is undefined for the type ScimUser");
            assertThat(p.hint()).contains("Write costCenter() in a consequence");
        });
    }

    @Test
    void exampleErrorsNameTheExampleWhereItIsWrittenAndTheRuleWhereItIsWritten() {
        assertThat(refusal("failing-example")).extracting(RuleProblem::toString).containsExactlyInAnyOrder(
                "organization/examples.yaml:6:7 rule \"" + RULE + "\": disallowed example \"a user without a "
                        + "department\" failed: the rule did not fire (other violations: [POLICY_COST_CENTER_REQUIRED]) "
                        + "(the rule is at organization/organization.drl:7)",
                "organization/organization.drl:17:1 rule \"Cost center is required\": the rule needs at least one "
                        + "disallowed example in an examples.yaml; the service refuses a ruleset with a rule that has "
                        + "none. Hint: add one under \"Cost center is required\": disallowed: in "
                        + "organization/examples.yaml.");
    }
}
