package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scimgate.support.LoopbackServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The gateway reads a user as Genesys will (attribute names case-insensitive, duplicates refused,
 * PATCH paths with RFC 7644 filters applied exactly) and forwards the document it judged.
 */
class GatewayJudgesWhatGenesysReceivesTest extends GatewayServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    @Autowired
    JdbcTemplate jdbc;

    private HttpResponse<String> create(String body) throws Exception {
        return GENESYS.send(port, "POST", "/Users", body);
    }

    private HttpResponse<String> patch(String operations) throws Exception {
        return GENESYS.patch(port, operations);
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    @Test
    void rejectsADepartmentSpelledInAnotherCase() throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> answer = create("""
                {"userName":"mark@acme.com","emails":[{"value":"mark@acme.com","primary":true}],
                 "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER":{"Department":"Marketing"}}""");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer.body()).get("detail").asText()).contains("POLICY_DEPARTMENT_DENIED");
        assertThat(GENESYS.writes()).hasSize(before);
    }

    @Test
    void rejectsAPrimaryEmailWhoseAttributeNamesAreInCapitals() throws Exception {
        HttpResponse<String> answer = create("""
                {"USERNAME":"m@acme.com","EMAILS":[{"Value":"mallory@evil.com","Primary":true,"TYPE":"work"}]}""");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer.body()).get("detail").asText()).contains("SCIM_INVALID_EMAIL_DOMAIN");
    }

    @Test
    void forwardsACaseVariedCompliantUserWithCanonicalNamesAndRecordsThatDocument() throws Exception {
        HttpResponse<String> answer = create("""
                {"UserName":"case@acme.com","Emails":[{"VALUE":"case@acme.com","PRIMARY":true}],"password":"s3cret",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":{"DEPARTMENT":"Sales","CostCenter":"CC-1234"}}""");
        assertThat(answer.statusCode()).isEqualTo(201);
        JsonNode forwarded = json(GENESYS.lastWrite().body());
        assertThat(forwarded).isEqualTo(json("""
                {"userName":"case@acme.com","emails":[{"value":"case@acme.com","primary":true}],"password":"s3cret",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","costCenter":"CC-1234"}}"""));
        JsonNode judged = json(jdbc.queryForObject("SELECT payload::text FROM decision_audit WHERE source = 'gateway' "
                + "AND user_name = 'case@acme.com' AND outcome LIKE 'ACCEPTED%'", String.class));
        ((com.fasterxml.jackson.databind.node.ObjectNode) forwarded).remove("password"); // never stored
        assertThat(judged).isEqualTo(forwarded);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"userName\":\"a@acme.com\",\"userName\":\"mallory@evil.com\",\"emails\":[{\"value\":\"a@acme.com\",\"primary\":true}]}",
            "{\"userName\":\"a@acme.com\",\"USERNAME\":\"mallory@evil.com\",\"emails\":[{\"value\":\"a@acme.com\",\"primary\":true}]}",
            "{\"userName\":\"a@acme.com\",\"emails\":[{\"value\":\"a@acme.com\",\"Value\":\"m@evil.com\",\"primary\":true}]}",
            "{\"userName\":\"a@acme.com\",\"emails\":[{\"value\":\"a@acme.com\",\"primary\":true}],"
                    + "\"" + ENTERPRISE + "\":{\"department\":\"Sales\",\"Department\":\"Marketing\"}}"})
    void refusesAnAttributeNamedTwiceAndForwardsNothing(String body) throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> answer = create(body);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer.body()).get("scimType").asText()).isEqualTo("invalidSyntax");
        assertThat(GENESYS.writes()).hasSize(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "emails[primary eq true].value",
            "emails[type eq \\\"work\\\" and primary eq true].value",
            "emails[type eq \\\"WORK\\\"].value",
            "emails[not (type eq \\\"other\\\")].value",
            "emails[value ew \\\"@ACME.COM\\\" or primary eq false].value",
            "Emails[Primary eq true].Value",
            "emails[primary ne false].value"})
    void appliesAPatchValueFilterAndRejectsTheResult(String path) throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> answer = patch("{\"op\":\"Replace\",\"path\":\"" + path + "\",\"value\":\"mallory@evil.com\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(json(answer.body()).get("detail").asText()).contains("SCIM_INVALID_EMAIL_DOMAIN");
        assertThat(GENESYS.writes()).hasSize(before);
    }

    @Test
    void aPatchAddOnAFilterThatMatchesSetsTheMatchingValueAsTheRfcSays() throws Exception {
        HttpResponse<String> answer = patch("{\"op\":\"Add\",\"path\":\"emails[type eq \\\"work\\\"].value\","
                + "\"value\":\"mallory@evil.com\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(json(answer.body()).get("detail").asText()).contains("SCIM_INVALID_EMAIL_DOMAIN");
    }

    @Test
    void aNumberLiteralComparedWithABooleanMatchesNothing() throws Exception {
        HttpResponse<String> answer = patch("{\"op\":\"replace\",\"path\":\"emails[primary eq 1].value\",\"value\":\"x@acme.com\"}");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer.body()).get("scimType").asText()).isEqualTo("noTarget");
    }

    @Test
    void forwardsAPatchedUserAsThePutOfTheVersionItWasAppliedTo() throws Exception {
        HttpResponse<String> answer = patch("""
                {"op":"replace","path":"emails[type eq \\"other\\" and not (primary eq true)].display","value":"Home"},
                {"op":"Replace","path":"active","value":"False"},
                {"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter":"CC-2001"}}""");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        LoopbackServer.Request forwarded = GENESYS.lastWrite();
        assertThat(forwarded.method()).isEqualTo("PUT");
        assertThat(forwarded.path()).isEqualTo("/api/v2/scim/v2/users/u-1");
        assertThat(forwarded.header("If-Match")).isEqualTo("W/\"7\"");
        JsonNode expected = json(StubGenesys.STORED_USER);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("emails").get(1)).put("display", "Home");
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("active", false);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get(ENTERPRISE)).put("costCenter", "CC-2001");
        assertThat(json(forwarded.body())).isEqualTo(expected);
        JsonNode judged = json(jdbc.queryForObject("SELECT payload::text FROM decision_audit WHERE operation = "
                + "'PATCH /Users/u-1' AND outcome LIKE 'ACCEPTED%' ORDER BY seq DESC LIMIT 1", String.class));
        assertThat(judged).isEqualTo(expected);
    }

    /** A PatchOp is all or nothing (RFC 7644 §3.5.2): a later operation does not excuse an earlier one. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"op\":\"replace\",\"path\":\"name\",\"value\":\"x\"},{\"op\":\"replace\",\"path\":\"name\",\"value\":{\"givenName\":\"X\"}}",
            "{\"op\":\"add\",\"path\":\"active\",\"value\":\"yes\"},{\"op\":\"replace\",\"path\":\"active\",\"value\":false}"})
    void anOperationWithAValueOfTheWrongTypeRefusesThePatchEvenWhenALaterOneOverwritesIt(String operations)
            throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> answer = patch(operations);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(json(answer.body()).get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(json(answer.body()).get("detail").asText()).contains("leaves a user that is not valid");
        assertThat(GENESYS.writes()).as("nothing forwarded").hasSize(before);
    }

    @Test
    void anInvalidFilterIsRefusedAsInvalidFilterAndRecorded() throws Exception {
        HttpResponse<String> answer = patch("{\"op\":\"replace\",\"path\":\"emails[type xx \\\"work\\\"].value\",\"value\":\"a@acme.com\"}");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer.body()).get("scimType").asText()).isEqualTo("invalidFilter");
        assertThat(jdbc.queryForObject("SELECT outcome FROM decision_audit WHERE operation = 'PATCH /Users/u-1' "
                + "AND detail LIKE '%type xx%' ORDER BY seq DESC LIMIT 1", String.class)).isEqualTo("MALFORMED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:example:params:custom:2.0:User:department", "departmentx", "name.nickname",
            "emails[type eq \\\"work\\\"].value.domain", "userName[value eq \\\"x\\\"]", "department"})
    void aPathScimgateCannotApplyExactlyIsRefusedAsInvalidPath(String path) throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> answer = patch("{\"op\":\"replace\",\"path\":\"" + path + "\",\"value\":\"Marketing\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(json(answer.body()).get("scimType").asText()).isEqualTo("invalidPath");
        assertThat(GENESYS.writes()).hasSize(before);
    }

    @Test
    void aPatchThatNamesAnAttributeTwiceIsRefused() throws Exception {
        HttpResponse<String> answer = patch("{\"op\":\"replace\",\"path\":\"displayName\",\"PATH\":\"userName\",\"value\":\"x\"}");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer.body()).get("scimType").asText()).isEqualTo("invalidSyntax");
    }
}
