package org.scimgate.webhook;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

class WebhookEndpointTest extends PostgresTest {

    static final String COMPLIANT = """
            {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
             "data":{"id":"u-1","userName":"jane.doe@acme.com","emails":[{"value":"jane.doe@acme.com","primary":true}],
                     "department":"Engineering","costCenter":"CC-1234"}}""";

    static final String NON_COMPLIANT = """
            {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
             "data":{"id":"u-2","userName":"mallory@evil.com","emails":[{"value":"mallory@evil.com","primary":true}],
                     "department":"Marketing","costCenter":"CC-12"}}""";

    @Autowired
    MockMvc mvc;

    /** Each call is a new delivery: retried deliveries (same id) are answered from the audit. */
    private ResultActions send(String body) throws Exception {
        return send(body, "wh-" + java.util.UUID.randomUUID());
    }

    private ResultActions send(String body, String webhookId) throws Exception {
        return mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK).contentType(MediaType.APPLICATION_JSON)
                .header("x-genesys-webhook-id", webhookId).content(body));
    }

    @Test
    void acceptsCompliantUserWithTheTutorialsBody() throws Exception {
        send(COMPLIANT, "wh-accepted-" + java.util.UUID.randomUUID()).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ACCEPTED"))
                .andExpect(jsonPath("$.webhookId").value(org.hamcrest.Matchers.startsWith("wh-accepted-")))
                .andExpect(jsonPath("$.decisionId").isString());
    }

    @Test
    void rejectsNonCompliantUserWithTheTutorialsRejectionBody() throws Exception {
        send(NON_COMPLIANT, "wh-rejected-" + java.util.UUID.randomUUID()).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.webhookId").value(org.hamcrest.Matchers.startsWith("wh-rejected-")))
                .andExpect(jsonPath("$.eventType").value("user.created"))
                .andExpect(jsonPath("$.eventTimestamp").value("2026-11-29T10:00:00Z"))
                .andExpect(jsonPath("$.status").value("REJECTED"))
                .andExpect(jsonPath("$.errorCode").value("PROVISIONING_POLICY_VIOLATION"))
                .andExpect(jsonPath("$.violations.length()").value(4))
                .andExpect(jsonPath("$.violations[0].field").value("emails[0].value"))
                .andExpect(jsonPath("$.violations[0].code").value("SCIM_INVALID_EMAIL_DOMAIN"))
                .andExpect(jsonPath("$.violations[0].message").value("Email domain evil.com is not provisioned."))
                .andExpect(jsonPath("$.violations[1].field").value("userName"))
                .andExpect(jsonPath("$.violations[1].code").value("SCIM_INVALID_LOGIN_DOMAIN"))
                .andExpect(jsonPath("$.violations[2].code").value("POLICY_DEPARTMENT_DENIED"))
                .andExpect(jsonPath("$.violations[3].code").value("POLICY_COST_CENTER_MISMATCH"))
                .andExpect(jsonPath("$.timestamp").isString())
                .andExpect(jsonPath("$.decisionId").isString());
    }

    @Test
    void ignoresOtherEventTypes() throws Exception {
        send("""
                {"eventType":"user.deleted","eventTimestamp":"2026-11-29T10:00:00Z","data":{"id":"u-1"}}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("IGNORED"))
                .andExpect(jsonPath("$.eventType").value("user.deleted"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON         | {"eventType":                                          | the body is not valid JSON
            a key named twice      | {"eventType":"user.created","data":{"userName":"a@acme.com","userName":"m@evil.com"}} | the body names data.userName twice
            a nested key twice     | {"eventType":"user.created","data":{"emails":[{"value":"a@acme.com","value":"m@evil.com"}]}} | the body names data.emails[0].value twice
            empty object body      | {}                                                     | eventType is required
            JSON array             | []                                                     | the body must be a JSON object
            data missing           | {"eventType":"user.created"}                           | data is required
            data null              | {"eventType":"user.created","data":null}               | data is required
            data a string          | {"eventType":"user.created","data":"x"}                | data must be a SCIM user object, not a string
            data an array          | {"eventType":"user.created","data":[]}                 | data must be a SCIM user object, not an array
            emails an object       | {"eventType":"user.created","data":{"emails":{"value":"a@acme.com"}}} | data.emails must be an array
            emails of strings      | {"eventType":"user.created","data":{"emails":["a@acme.com"]}} | data.emails[0] must be an object
            userName a number      | {"eventType":"user.created","data":{"userName":42}}    | data.userName must be a string, not a number
            primary a string       | {"eventType":"user.created","data":{"emails":[{"value":"a@acme.com","primary":"yes"}]}} | data.emails[0].primary must be true or false
            eventType a number     | {"eventType":7,"data":{}}                              | eventType must be a string
            enterprise a string    | {"eventType":"user.created","data":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":"x"}} | must be an object
            """)
    void answersBadInputWithTheDocumentedErrorShape(String name, String body, String detail) throws Exception {
        send(body).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.status").value("MALFORMED"))
                .andExpect(jsonPath("$.errorCode").value("MALFORMED_PAYLOAD"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(detail)))
                .andExpect(jsonPath("$.decisionId").isString());
    }

    @Test
    void answersEmptyBodyWith400() throws Exception {
        send("").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errorCode").value("MALFORMED_PAYLOAD"))
                .andExpect(jsonPath("$.detail").value("the request body is empty"));
    }

    @Test
    void answersWrongContentTypeWith415() throws Exception {
        mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK).contentType(MediaType.TEXT_PLAIN).content(COMPLIANT))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.errorCode").value("UNSUPPORTED_MEDIA_TYPE"));
        mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK).content(COMPLIANT))
                .andExpect(status().isUnsupportedMediaType());
    }

    @Test
    void answersBodyOverOneMegabyteWith413() throws Exception {
        String padding = "x".repeat(1024 * 1024);
        send("{\"eventType\":\"user.created\",\"pad\":\"" + padding + "\"}")
                .andExpect(status().isPayloadTooLarge())
                .andExpect(jsonPath("$.errorCode").value("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void omitsWebhookIdWhenTheHeaderIsAbsent() throws Exception {
        mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK).contentType(MediaType.APPLICATION_JSON).content(COMPLIANT))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.webhookId").doesNotExist());
    }
}
