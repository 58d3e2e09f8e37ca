package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.edge.Refusals;
import org.scimgate.support.PostgresTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** A sender that signs: a signed request is judged once, and never again under any delivery id. */
class SignedWebhookTest extends PostgresTest {

    private static final String SECRET = "hmac-secret-for-signed-webhooks";

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    Refusals refusals;

    @DynamicPropertySource
    static void hmac(DynamicPropertyRegistry registry) {
        registry.add("scimgate.security.webhook-hmac-secret", () -> SECRET);
    }

    private static byte[] body(String user) {
        return ("{\"eventType\":\"user.created\",\"data\":{\"userName\":\"" + user + "\",\"emails\":[{\"value\":\"" + user
                + "\",\"primary\":true}]}}").getBytes(StandardCharsets.UTF_8);
    }

    private ResultActions send(String signature, String webhookId, byte[] body) throws Exception {
        return mvc.perform(post("/webhook/scim-validation").contentType(MediaType.APPLICATION_JSON)
                .header(WebhookAuthenticator.SIGNATURE_HEADER, signature)
                .header(WebhookAuthenticator.WEBHOOK_ID_HEADER, webhookId).content(body));
    }

    /** The outcome of the row that records the answer: a refusal's is its address's row of the minute. */
    private String outcome(ResultActions answer) throws Exception {
        refusals.recordAll();
        String decisionId = json.readTree(answer.andReturn().getResponse().getContentAsString()).get("decisionId").asText();
        return jdbc.queryForObject("SELECT outcome FROM decision_audit WHERE decision_id = ?::uuid", String.class, decisionId);
    }

    @Test
    void judgesASignedRequestOnceAndRefusesItsReplaysUnderAnyDeliveryId() throws Exception {
        byte[] body = body("signed@acme.com");
        String t = Long.toString(Instant.now().getEpochSecond());
        String delivery = UUID.randomUUID().toString();
        String signature = "t=" + t + ",v2=" + WebhookAuthenticator.hmac(SECRET, t, delivery, body);

        assertThat(outcome(send(signature, delivery, body).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ACCEPTED")))).isEqualTo("ACCEPTED");

        ResultActions underAnotherId = send(signature, UUID.randomUUID().toString(), body)
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.detail").value("invalid signature"));
        assertThat(outcome(underAnotherId)).isEqualTo("UNAUTHENTICATED");

        ResultActions sameAgain = send(signature, delivery, body).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("signature already used")));
        assertThat(outcome(sameAgain)).isEqualTo("UNAUTHENTICATED");

        byte[] next = body("next@acme.com");
        String nextDelivery = UUID.randomUUID().toString();
        send("t=" + t + ",v2=" + WebhookAuthenticator.hmac(SECRET, t, nextDelivery, next), nextDelivery, next)
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("ACCEPTED"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE user_name = 'signed@acme.com'", Long.class))
                .as("only the first copy made a row with the user").isOne();
    }

    @Test
    void aSignatureTimestampBeyondWhatAnInstantHoldsIsRefusedAndRecordedNotAServerError() throws Exception {
        byte[] body = body("far-future@acme.com");
        String t = Long.toString(Long.MAX_VALUE);
        String delivery = UUID.randomUUID().toString();
        ResultActions answer = send("t=" + t + ",v2=" + WebhookAuthenticator.hmac(SECRET, t, delivery, body), delivery, body)
                .andExpect(status().isUnauthorized());
        assertThat(outcome(answer)).isEqualTo("UNAUTHENTICATED");
    }

    /**
     * The signature covers the first x-genesys-webhook-id header, while the idempotency key is made
     * of all of them: a captured signed request sent to another instance (or after a restart, which
     * forgets the signatures seen) with a second id header would be a new delivery, judged again.
     */
    @Test
    void aSignedRequestWithASecondDeliveryIdHeaderIsRefused() throws Exception {
        byte[] body = body("two-ids@acme.com");
        String t = Long.toString(Instant.now().getEpochSecond());
        String delivery = UUID.randomUUID().toString();
        String signature = "t=" + t + ",v2=" + WebhookAuthenticator.hmac(SECRET, t, delivery, body);
        ResultActions answer = mvc.perform(post("/webhook/scim-validation").contentType(MediaType.APPLICATION_JSON)
                        .header(WebhookAuthenticator.SIGNATURE_HEADER, signature)
                        .header(WebhookAuthenticator.WEBHOOK_ID_HEADER, delivery, "another-delivery").content(body))
                .andExpect(status().isUnauthorized());
        assertThat(outcome(answer)).isEqualTo("UNAUTHENTICATED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE user_name = 'two-ids@acme.com'", Long.class))
                .isZero();
    }
}
