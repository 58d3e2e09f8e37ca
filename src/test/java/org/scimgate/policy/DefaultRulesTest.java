package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scimgate.scim.ScimUserReader;

/** The shipped rules/ directory through the real Drools engine. */
class DefaultRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Ruleset ruleset;

    @BeforeAll
    static void compile() {
        ruleset = new RulesetCompiler(Clock.systemUTC()).compile(Path.of("rules"));
    }

    @AfterAll
    static void dispose() {
        ruleset.close();
    }

    private static Evaluation evaluate(String json) throws Exception {
        return ruleset.evaluate(ScimUserReader.read(JSON.readTree(json), "data"));
    }

    @Test
    void acceptsCompliantTutorialUser() throws Exception {
        Evaluation evaluation = evaluate("""
                {"userName":"jane.doe@acme.com","emails":[{"value":"jane.doe@acme.com","primary":true}],
                 "department":"Engineering","costCenter":"CC-1234"}""");
        assertThat(evaluation.violations()).isEmpty();
        assertThat(evaluation.compliant()).isTrue();
        assertThat(evaluation.firedRules()).isEmpty();
        assertThat(evaluation.rulesetVersion()).isEqualTo(ruleset.version());
    }

    @Test
    void reportsEveryTutorialCheckInTheTutorialsOrder() throws Exception {
        Evaluation evaluation = evaluate("""
                {"userName":" ","emails":[{"value":"x@evil.com","primary":true}],
                 "department":"Marketing","costCenter":"12345"}""");
        assertThat(evaluation.violations()).extracting(PolicyViolation::field, PolicyViolation::code, PolicyViolation::message)
                .containsExactly(
                        tuple("userName", "SCIM_MISSING_USERNAME", "userName is required and cannot be empty."),
                        tuple("emails[0].value", "SCIM_INVALID_EMAIL_DOMAIN", "Email domain evil.com is not provisioned."),
                        tuple("department", "POLICY_DEPARTMENT_DENIED", "Department Marketing is not in the approved list."),
                        tuple("costCenter", "POLICY_COST_CENTER_MISMATCH",
                                "Cost center 12345 does not match pattern ^CC-[0-9]{4}$."));
        assertThat(evaluation.firedRules()).hasSize(4);
        assertThat(evaluation.compliant()).isFalse();
    }

    @Test
    void requiresAPrimaryEmail() throws Exception {
        assertThat(codes("""
                {"userName":"a","emails":[{"value":"a@acme.com","primary":false}]}"""))
                .containsExactly("SCIM_MISSING_PRIMARY_EMAIL");
        assertThat(codes("""
                {"userName":"a"}""")).containsExactly("SCIM_MISSING_PRIMARY_EMAIL");
    }

    @Test
    void namesTheRealIndexOfThePrimaryEmail() throws Exception {
        Evaluation evaluation = evaluate("""
                {"userName":"a","emails":[{"value":"a@acme.com"},{"value":"b@acme.com"},
                 {"value":"c@gmail.com","primary":true}]}""");
        assertThat(evaluation.violations()).extracting(PolicyViolation::field).containsExactly("emails[2].value");
    }

    @Test
    void comparesDomainsIgnoringCase() throws Exception {
        assertThat(codes("""
                {"userName":"a","emails":[{"value":"Jane@ACME.Com","primary":true}]}""")).isEmpty();
    }

    @Test
    void refusesTrailingDotLookAlikeAndExtraAt() throws Exception {
        for (String address : new String[] {"jane@acme.com.", "jane@acme.com@evil.com", "jane@evil.com@acme.com",
                "jane@\u0430cme.com", "jane@\uff41cme.com", "jane@acme..com", "jane", "@acme.com", "jane@"}) {
            assertThat(codes("{\"userName\":\"a\",\"emails\":[{\"value\":" + JSON.writeValueAsString(address)
                    + ",\"primary\":true}]}")).as(address).containsExactly("SCIM_INVALID_EMAIL_DOMAIN");
        }
    }

    @Test
    void refusesMoreThanOnePrimaryEmail() throws Exception {
        assertThat(codes("""
                {"userName":"a","emails":[{"value":"a@acme.com","primary":true},{"value":"b@acme.com","primary":true}]}"""))
                .containsExactly("SCIM_MULTIPLE_PRIMARY_EMAILS");
    }

    @Test
    void enterpriseExtensionWinsOverTopLevelFields() throws Exception {
        assertThat(codes("""
                {"userName":"a","emails":[{"value":"a@acme.com","primary":true}],
                 "department":"Marketing","costCenter":"bad",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","costCenter":"CC-2001"}}"""))
                .isEmpty();
        assertThat(codes("""
                {"userName":"a","emails":[{"value":"a@acme.com","primary":true}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Legal"}}"""))
                .containsExactly("POLICY_DEPARTMENT_DENIED");
    }

    @Test
    void judgesMicrosoftEntraSample() throws Exception {
        assertThat(codes("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_ab6490ee@testuser.com","active":true,
                 "emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b@testuser.com"}],"meta":{"resourceType":"User"},
                 "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},"roles":[],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering","costCenter":"CC-1234"}}"""))
                .as("the login and the primary email are both at testuser.com")
                .containsExactlyInAnyOrder("SCIM_INVALID_EMAIL_DOMAIN", "SCIM_INVALID_LOGIN_DOMAIN");
    }

    @Test
    void judgesTheLoginAndTheWorkEmailThatGenesysUsesNotOnlyThePrimaryEmail() throws Exception {
        Evaluation evaluation = evaluate("""
                {"userName":"mallory@evil.com","emails":[{"value":"jane2@acme.com","primary":true},
                 {"value":"mallory@evil.com","type":"work"}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering"}}""");
        assertThat(evaluation.violations()).extracting(PolicyViolation::field, PolicyViolation::code, PolicyViolation::message)
                .containsExactlyInAnyOrder(
                        tuple("userName", "SCIM_INVALID_LOGIN_DOMAIN", "Login domain evil.com is not provisioned."),
                        tuple("emails[1].value", "SCIM_INVALID_EMAIL_DOMAIN", "Work email domain evil.com is not provisioned."));
        assertThat(evaluation.compliant()).isFalse();
    }

    @Test
    void refusesEveryLoginThatNamesADomainItCannotProvision() throws Exception {
        for (String login : new String[] {"m@evil.com", "M@EVIL.COM", "jane@acme.com.", "jane@acme.com@evil.com",
                "jane@\u0430cme.com", "jane@\uff41cme.com", "mallory\uff20evil.com", "mallory\ufe6bevil.com", "@acme.com",
                "jane@", "jane@acme..com"}) {
            assertThat(codes("{\"userName\":" + JSON.writeValueAsString(login)
                    + ",\"emails\":[{\"value\":\"a@acme.com\",\"primary\":true}]}")).as(login)
                    .containsExactly("SCIM_INVALID_LOGIN_DOMAIN");
        }
    }

    @Test
    void judgesEveryWorkEmailWhateverTheCaseOfItsTypeAndLeavesOthersToGenesys() throws Exception {
        for (String type : new String[] {"work", "Work", "WORK", " work "}) {
            assertThat(codes("{\"userName\":\"a@acme.com\",\"emails\":[{\"value\":\"a@acme.com\",\"primary\":true},"
                    + "{\"value\":\"m@evil.com\",\"type\":\"" + type + "\"}]}")).as(type)
                    .containsExactly("SCIM_INVALID_EMAIL_DOMAIN");
        }
        assertThat(codes("""
                {"userName":"a@acme.com","emails":[{"value":"a@acme.com","primary":true},{"value":"a@gmail.com","type":"home"},
                 {"value":"a@home.example","type":"other"}]}""")).isEmpty();
    }

    @Test
    void acceptsOktaSample() throws Exception {
        assertThat(codes("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane.doe@acme.com",
                 "name":{"givenName":"Jane","familyName":"Doe"},"emails":[{"primary":true,"value":"jane.doe@acme.com","type":"work"}],
                 "displayName":"Jane Doe","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true}"""))
                .isEmpty();
    }

    @Test
    void readsRuleMetadataWithoutQuotes() {
        assertThat(ruleset.rules()).extracting(PolicyRule::code).contains("SCIM_MISSING_USERNAME", "POLICY_COST_CENTER_MISMATCH");
        assertThat(ruleset.rules()).allSatisfy(rule -> assertThat(rule.code()).doesNotContain("\""));
        assertThat(ruleset.rule("userName is required").mode()).isEqualTo(Mode.ENFORCE);
        assertThat(ruleset.rule("userName is required").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void loadsTheDecisionTableBesideTheDrlInWarnMode() throws Exception {
        PolicyRule row = ruleset.rule("Sales cost centers start with CC-2");
        assertThat(row).isNotNull();
        assertThat(row.file()).isEqualTo("organization/prefix-by-department.drl.csv");
        assertThat(row.mode()).isEqualTo(Mode.WARN);
        Evaluation evaluation = evaluate("""
                {"userName":"a","emails":[{"value":"a@acme.com","primary":true}],"department":"Sales","costCenter":"CC-1001"}""");
        assertThat(evaluation.violations()).extracting(PolicyViolation::code, PolicyViolation::mode)
                .containsExactly(tuple("POLICY_COST_CENTER_DEPARTMENT", Mode.WARN));
        assertThat(evaluation.compliant()).as("a warning does not refuse the user").isTrue();
    }

    @Test
    void everyShippedRuleHasPassingExamples() {
        ExampleReport report = Examples.run(ruleset);
        assertThat(report.asProblems()).isEmpty();
        assertThat(report.results()).hasSizeGreaterThanOrEqualTo(2 * ruleset.rules().size());
    }

    @Test
    void theShippedReferenceDataSaysEditsAreLiveWithoutARestart() throws Exception {
        String header = java.nio.file.Files.readAllLines(Path.of("rules/reference-data.yaml")).stream()
                .takeWhile(line -> line.startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(header).doesNotContain("next start").contains("live within about a second");
    }

    private static java.util.List<String> codes(String json) throws Exception {
        return evaluate(json).violations().stream().map(PolicyViolation::code).toList();
    }
}
