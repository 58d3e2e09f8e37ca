package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;

/**
 * The shipped access rule through the real engine: the shipped pair refuses entry to either group
 * from the other, names both groups, never refuses a removal, and a membership is judged by the
 * rules about memberships only (a user who breaks a user rule is not refused a group for it).
 */
class AccessRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A loaded build machine must not turn a slow first evaluation into a failed example. */
    private static final java.time.Duration LOADED_MACHINE = java.time.Duration.ofSeconds(30);
    private static Ruleset ruleset;
    private static ScimUser jane;
    private static ScimUser noEmail;

    @BeforeAll
    static void compile() throws Exception {
        ruleset = new RulesetCompiler(Clock.systemUTC(), RuleCapabilities.defaults(), LOADED_MACHINE).compile(Path.of("rules"));
        jane = ScimUserReader.read(JSON.readTree("""
                {"userName":"jane.doe@acme.com","emails":[{"value":"jane.doe@acme.com","primary":true}]}"""), "user");
        noEmail = ScimUserReader.read(JSON.readTree("{\"userName\":\"jane.doe@acme.com\"}"), "user");
    }

    @AfterAll
    static void dispose() {
        ruleset.close();
    }

    @Test
    void theShippedRulesetCompilesTheAccessRuleAndItsExamplesPass() {
        assertThat(ruleset.rules()).extracting(PolicyRule::code).contains("ACCESS_SOD_CONFLICT");
        ExampleReport report = Examples.run(ruleset);
        assertThat(report.passed()).as(report.asProblems().toString()).isTrue();
    }

    @Test
    void joiningApproversWhileInPayablesIsRefusedNamingBothGroups() {
        Evaluation evaluation = ruleset.evaluate(jane, new Membership("g-2", "Finance Approvers", Membership.ADDED,
                Set.of("Finance Payables", "Finance Approvers")));
        assertThat(evaluation.verdict()).isEqualTo(Verdict.REJECTED);
        assertThat(evaluation.violations()).singleElement().satisfies(v -> {
            assertThat(v.code()).isEqualTo("ACCESS_SOD_CONFLICT");
            assertThat(v.severity()).isEqualTo(Severity.HIGH);
            assertThat(v.message()).contains("Finance Payables").contains("Finance Approvers");
        });
    }

    @Test
    void joiningPayablesWhileInApproversIsRefusedToo() {
        assertThat(ruleset.evaluate(jane, new Membership(null, "finance payables ", Membership.ADDED,
                Set.of("FINANCE APPROVERS", "finance payables "))).verdict()).isEqualTo(Verdict.REJECTED);
    }

    @Test
    void aRemovalIsNeverRefusedEvenLeavingAConflictInPlace() {
        assertThat(ruleset.evaluate(jane, new Membership("g-2", "Finance Approvers", Membership.REMOVED,
                Set.of("Finance Payables", "Finance Approvers"))).violations()).isEmpty();
    }

    @Test
    void entriesThatAreNotConflictsPass() {
        assertThat(ruleset.evaluate(jane, new Membership("g-2", "Finance Approvers", Membership.ADDED,
                Set.of("Support", "Finance Approvers"))).violations()).isEmpty();
    }

    @Test
    void aUserWhoBreaksAUserRuleIsJudgedForTheMembershipOnly() {
        assertThat(ruleset.evaluate(noEmail).verdict()).as("the user alone is refused").isEqualTo(Verdict.REJECTED);
        assertThat(ruleset.evaluate(noEmail, new Membership("g-3", "Support", Membership.ADDED, Set.of("Support")))
                .violations()).isEmpty();
    }

    /** The example access rule of the policy docs, with its examples, added to a copy of the shipped rules. */
    @Test
    void theDocumentedContractorRuleCompilesAndItsExamplesPass(@org.junit.jupiter.api.io.TempDir Path copy)
            throws Exception {
        String doc = java.nio.file.Files.readString(Path.of("docs/policy/writing-rules.md"));
        String drl = block(doc, "```drl\n");
        String yaml = block(doc, "```yaml\n\"Contractors");
        try (var files = java.nio.file.Files.walk(Path.of("rules"))) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(Path.of("rules").relativize(file).toString());
                if (java.nio.file.Files.isDirectory(file)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(file, target);
                }
            }
        }
        java.nio.file.Files.writeString(copy.resolve("access/contractors.drl"), drl);
        java.nio.file.Files.writeString(copy.resolve("access/examples.yaml"), "\n" + yaml,
                java.nio.file.StandardOpenOption.APPEND);
        try (Ruleset withContractors = new RulesetCompiler(Clock.systemUTC(), RuleCapabilities.defaults(), LOADED_MACHINE).compile(copy)) {
            ExampleReport report = Examples.run(withContractors);
            assertThat(report.passed()).as(report.asProblems().toString()).isTrue();
            assertThat(report.results()).extracting(ExampleReport.Result::rule)
                    .contains("Contractors may not join administrators' groups");
            ScimUser contractor = ScimUserReader.read(JSON.readTree("{\"userName\":\"joe@acme.com\","
                    + "\"emails\":[{\"value\":\"joe@acme.com\",\"primary\":true}],"
                    + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"division\":\"Contractors\"}}"),
                    "user");
            assertThat(withContractors.evaluate(contractor, new Membership("g-9", "Admins", Membership.ADDED,
                    Set.of("Admins"))).verdict()).as("warn mode").isEqualTo(Verdict.ACCEPTED_WITH_WARNINGS);
        }
    }

    /** The text of the fenced block that opens with {@code opening} (its first line kept when it is content). */
    private static String block(String doc, String opening) {
        int at = doc.indexOf(opening);
        assertThat(at).as("the docs show " + opening).isNotNegative();
        int start = doc.indexOf('\n', at) + 1;
        return doc.substring(start, doc.indexOf("```", start));
    }

    @Test
    void conflictingGroupsThatAreNotPairsAreRefusedWithTheEntryNamed() {
        List<RuleProblem> problems = new ArrayList<>();
        ReferenceData data = ReferenceData.parse("""
                conflicting-groups:
                  - [Finance Payables, Finance Approvers]
                  - [Only One]
                  - [Same, same]
                """, problems);
        assertThat(data.conflicts()).containsExactly(new GroupConflict("Finance Payables", "Finance Approvers"));
        assertThat(problems).extracting(RuleProblem::toString).anySatisfy(p -> assertThat(p).contains("entry 2"))
                .anySatisfy(p -> assertThat(p).contains("entry 3"));
    }
}
