package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Genesys takes the login from {@code userName} and the work email from {@code emails[type eq "work"]}:
 * both are judged. And what Genesys receives is the user that was judged, rebuilt from what scimgate
 * understood: a schema-URN object or a flat URN-qualified key means the attribute it names, and
 * nothing scimgate did not understand is passed on.
 */
class GatewayForwardsOnlyWhatItJudgedTest extends GatewayServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private HttpResponse<String> create(String body) throws Exception {
        return GENESYS.send(port, "POST", "/Users", body);
    }

    private HttpResponse<String> patch(String operations) throws Exception {
        return GENESYS.patch(port, operations);
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    /** Refused with {@code status}, naming {@code code} (a policy code or a scimType), and nothing reached Genesys. */
    private void assertRefused(HttpResponse<String> answer, int writesBefore, String code) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        JsonNode error = json(answer.body());
        assertThat(error.path("detail").asText() + " " + error.path("scimType").asText()).contains(code);
        assertThat(GENESYS.writes()).as("nothing reached Genesys").hasSize(writesBefore);
    }

    @Test
    void refusesALoginAndAWorkEmailAtAForeignDomainBesideAnAllowedPrimaryEmail() throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> answer = create("""
                {"userName":"mallory@evil.com","emails":[{"value":"jane2@acme.com","primary":true},
                 {"value":"mallory@evil.com","type":"work"}],"%s":{"department":"Engineering"}}""".formatted(ENTERPRISE));
        assertRefused(answer, before, "SCIM_INVALID_LOGIN_DOMAIN");
        assertThat(json(answer.body()).get("detail").asText()).contains("emails[1].value").contains("userName");
    }

    @Test
    void refusesAWorkEmailAtAForeignDomainWhateverTheCaseOfItsType() throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> answer = create("""
                {"userName":"jane3@acme.com","emails":[{"value":"jane3@acme.com","primary":true},
                 {"value":"mallory@evil.com","type":"WORK"}]}""");
        assertRefused(answer, before, "SCIM_INVALID_EMAIL_DOMAIN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"userName", "USERNAME", CORE + ":userName"})
    void refusesAPatchThatMovesTheLoginToAForeignDomain(String path) throws Exception {
        int before = GENESYS.writes().size();
        assertRefused(patch("{\"op\":\"Replace\",\"path\":\"" + path + "\",\"value\":\"mallory@evil.com\"}"), before,
                "SCIM_INVALID_LOGIN_DOMAIN");
    }

    @Test
    void aPatchOfTheCoreUrnQualifiedUserNameSetsUserName() throws Exception {
        HttpResponse<String> answer = patch("{\"op\":\"replace\",\"path\":\"" + CORE + ":userName\",\"value\":\"q@acme.com\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode forwarded = json(GENESYS.lastWrite().body());
        assertThat(forwarded.get("userName").asText()).isEqualTo("q@acme.com");
        assertThat(forwarded.has(CORE)).as("no core schema object reaches Genesys").isFalse();
    }

    @Test
    void aCoreSchemaObjectInAPostIsReadAsTheCoreAttributesItHolds() throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> answer = create("""
                {"userName":"jane4@acme.com","emails":[{"value":"jane4@acme.com","primary":true}],
                 "%s":{"department":"Engineering"},
                 "%s":{"emails":[{"value":"m@evil.com","type":"work","primary":true}],"department":"Marketing"}}"""
                .formatted(ENTERPRISE, CORE));
        // emails twice (top level and in the core object): which one Genesys reads is up to Genesys, so neither is.
        assertRefused(answer, before, "invalidSyntax");

        answer = create("""
                {"userName":"jane4@acme.com","%s":{"emails":[{"value":"m@evil.com","type":"work","primary":true}],
                 "department":"Marketing"}}""".formatted(CORE));
        assertRefused(answer, before, "SCIM_INVALID_EMAIL_DOMAIN");
        assertThat(json(answer.body()).get("detail").asText()).contains("POLICY_DEPARTMENT_DENIED");
    }

    @Test
    void aCompliantCoreSchemaObjectIsForwardedAsTopLevelAttributes() throws Exception {
        HttpResponse<String> answer = create("""
                {"%s":{"userName":"jane5@acme.com","emails":[{"value":"jane5@acme.com","type":"work","primary":true}]}}"""
                .formatted(CORE));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(json(GENESYS.lastWrite().body())).isEqualTo(json("""
                {"userName":"jane5@acme.com","emails":[{"value":"jane5@acme.com","type":"work","primary":true}]}"""));
    }

    @Test
    void aFlatEnterpriseKeyInAPostIsTheDepartment() throws Exception {
        int before = GENESYS.writes().size();
        assertRefused(create("""
                {"userName":"jane6@acme.com","emails":[{"value":"jane6@acme.com","primary":true}],"%s:department":"Marketing"}"""
                .formatted(ENTERPRISE)), before, "POLICY_DEPARTMENT_DENIED");

        HttpResponse<String> answer = create("""
                {"userName":"jane6@acme.com","emails":[{"value":"jane6@acme.com","primary":true}],"%s:DEPARTMENT":"Sales"}"""
                .formatted(ENTERPRISE.toUpperCase()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(json(GENESYS.lastWrite().body())).isEqualTo(json("""
                {"userName":"jane6@acme.com","emails":[{"value":"jane6@acme.com","primary":true}],"%s":{"department":"Sales"}}"""
                .formatted(ENTERPRISE)));
    }

    @Test
    void aFlatEnterpriseKeyInAPutIsTheDepartment() throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> answer = GENESYS.send(port, "PUT", "/Users/u-1", """
                {"userName":"jane.doe@acme.com","emails":[{"value":"jane.doe@acme.com","primary":true}],"%s:department":"Marketing"}"""
                .formatted(ENTERPRISE));
        assertRefused(answer, before, "POLICY_DEPARTMENT_DENIED");
    }

    @Test
    void aFlatKeyAndTheObjectNamingTheSameAttributeAreRefused() throws Exception {
        int before = GENESYS.writes().size();
        assertRefused(create("""
                {"userName":"jane7@acme.com","emails":[{"value":"jane7@acme.com","primary":true}],
                 "%1$s":{"department":"Sales"},"%1$s:department":"Marketing"}""".formatted(ENTERPRISE)), before,
                "invalidSyntax");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"name\",\"value\":\"x\"", "\"active\",\"value\":\"yes\"", "\"emails\",\"value\":\"a@acme.com\"",
            "\"displayName\",\"value\":{\"x\":1}", "\"" + ENTERPRISE + ":manager\",\"value\":7",
            "\"emails[type eq \\\"work\\\"].primary\",\"value\":\"maybe\""})
    void aPatchValueOfTheWrongTypeIsInvalidValue(String pathAndValue) throws Exception {
        int before = GENESYS.writes().size();
        assertRefused(patch("{\"op\":\"replace\",\"path\":" + pathAndValue + "}"), before, "invalidValue");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"name\":\"x\"", "\"title\":5", "\"roles\":[\"admin\"]", "\"phoneNumbers\":{\"value\":1}",
            "\"name\":{\"givenName\":[\"x\"]}", "\"" + ENTERPRISE + "\":{\"manager\":\"boss\"}", "\"schemas\":[1]"})
    void aPostValueOfTheWrongTypeIsInvalidValue(String member) throws Exception {
        int before = GENESYS.writes().size();
        assertRefused(create("{\"userName\":\"jane8@acme.com\",\"emails\":[{\"value\":\"jane8@acme.com\",\"primary\":true}],"
                + member + "}"), before, "invalidValue");
    }

    @Autowired
    JdbcTemplate sql;

    /** A number beyond a double, in a POST and in a PATCH, is judged, stored and forwarded as written, never as infinity. */
    @ParameterizedTest
    @ValueSource(strings = {"1e999999999", "-1e-999999999", "123456789012345678901234567890.000000000000000000001"})
    void aNumberBeyondADoubleIsForwardedAndStoredAsWritten(String number) throws Exception {
        String genesys = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User";
        String written = new BigDecimal(number).toString();
        HttpResponse<String> answer = create("""
                {"userName":"num@acme.com","emails":[{"value":"num@acme.com","primary":true}],
                 "%s":{"routingSkills":[{"name":"Support","proficiency":%s}]}}""".formatted(genesys, number));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(GENESYS.lastWrite().body()).containsAnyOf(number, written).doesNotContain("Infinity");
        assertStoredExactly(number, written);

        answer = patch("{\"op\":\"add\",\"path\":\"" + genesys + ":routingSkills\",\"value\":[{\"name\":\"Sales\","
                + "\"proficiency\":" + number + "}]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(GENESYS.lastWrite().body()).containsAnyOf(number, written).doesNotContain("Infinity");
        assertStoredExactly(number, written);
    }

    private void assertStoredExactly(String number, String written) {
        Map<String, Object> row = sql.queryForMap("SELECT coalesce(payload_text, payload::text) AS stored, payload_exact"
                + " FROM decision_audit WHERE source = 'gateway' ORDER BY seq DESC LIMIT 1");
        assertThat(row.get("payload_exact")).as(number).isEqualTo(true);
        assertThat((String) row.get("stored")).as(number).containsAnyOf(number, written);
    }

    @Test
    void forwardsNoMemberItDoesNotUnderstand() throws Exception {
        HttpResponse<String> answer = create("""
                {"schemas":["%1$s","urn:example:custom:2.0:User"],"userName":"jane9@acme.com",
                 "emails":[{"value":"jane9@acme.com","primary":true,"type":"work","x-login":"m@evil.com"}],
                 "x-login":"mallory@evil.com","urn:example:custom:2.0:User":{"userName":"mallory@evil.com"},
                 "urn:example:custom:2.0:User:userName":"mallory@evil.com","name":{"givenName":"Jane","x":"y"},
                 "%2$s":{"department":"Sales","x-department":"Marketing"}}""".formatted(CORE, ENTERPRISE));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(json(GENESYS.lastWrite().body())).isEqualTo(json("""
                {"schemas":["%1$s"],"userName":"jane9@acme.com",
                 "emails":[{"value":"jane9@acme.com","primary":true,"type":"work"}],"name":{"givenName":"Jane"},
                 "%2$s":{"department":"Sales"}}""".formatted(CORE, ENTERPRISE)));
    }

    @Test
    void theTutorialsTopLevelDepartmentReachesGenesysWhereGenesysReadsIt() throws Exception {
        HttpResponse<String> answer = create("""
                {"userName":"jane10@acme.com","emails":[{"value":"jane10@acme.com","primary":true}],
                 "department":"Support","costCenter":"CC-3100"}""");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(json(GENESYS.lastWrite().body())).isEqualTo(json("""
                {"userName":"jane10@acme.com","emails":[{"value":"jane10@acme.com","primary":true}],
                 "%s":{"department":"Support","costCenter":"CC-3100"}}""".formatted(ENTERPRISE)));
    }
}
