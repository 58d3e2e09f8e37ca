package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.edge.Refusals;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/** Every endpoint but health refuses anonymous calls; roles decide the rest. */
class AccessControlTest extends PostgresTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    Refusals refusals;

    private static final String USER = """
            {"eventType":"user.created","data":{"userName":"mallory@acme.com","password":"pw-never-stored",
             "emails":[{"value":"mallory@acme.com","primary":true}]}}""";

    @Test
    void refusesAnUnauthenticatedWebhookCallAndCountsItInItsAddressRowWithoutTheBody() throws Exception {
        String webhookId = UUID.randomUUID().toString();
        String answer = mvc.perform(post("/webhook/scim-validation").contentType(MediaType.APPLICATION_JSON)
                        .header("x-genesys-webhook-id", webhookId).header("Authorization", "Bearer wrong").content(USER))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(jsonPath("$.status").value("UNAUTHENTICATED"))
                .andExpect(jsonPath("$.detail").value("invalid credentials"))
                .andReturn().getResponse().getContentAsString();
        refusals.recordAll();
        Map<String, Object> row = jdbc.queryForMap("SELECT outcome, source, http_status, user_name, payload::text AS payload,"
                + " (payload->'byEndpoint'->>'webhook')::int AS webhook FROM decision_audit WHERE decision_id = ?::uuid",
                json.readTree(answer).get("decisionId").asText());
        assertThat(row).containsEntry("outcome", "UNAUTHENTICATED").containsEntry("http_status", 401)
                .containsEntry("source", "edge");
        assertThat((Integer) row.get("webhook")).as("this refusal is counted in its address's row").isPositive();
        assertThat((String) row.get("payload")).doesNotContain("pw-never-stored").doesNotContain("mallory");
        assertThat(row.get("user_name")).isNull();
        mvc.perform(post("/webhook/scim-validation").contentType(MediaType.APPLICATION_JSON).content(USER))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.detail").value(
                        "missing credentials: send 'Authorization: Bearer <webhook token>'"));
    }

    @Test
    void acceptsTheWebhookTokenAsBasicPassword() throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString(("genesys:" + TestCredentials.WEBHOOK_TOKEN).getBytes());
        mvc.perform(post("/webhook/scim-validation").contentType(MediaType.APPLICATION_JSON)
                        .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                        .header("Authorization", "Basic " + basic).content(USER))
                .andExpect(status().isOk());
    }

    @Test
    void theApiNeedsAKeyAndTheRightRole() throws Exception {
        mvc.perform(get("/api/v1/decisions")).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").isString());
        mvc.perform(get("/api/v1/decisions").header("Authorization", "Bearer guessed")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/decisions").header("Authorization", TestCredentials.WEBHOOK))
                .andExpect(status().isUnauthorized());

        mvc.perform(get("/api/v1/decisions").header("Authorization", TestCredentials.ANALYST)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/ruleset").header("Authorization", TestCredentials.ANALYST)).andExpect(status().isOk());
        mvc.perform(post("/api/v1/policy/evaluate").header("Authorization", TestCredentials.ANALYST)
                .contentType(MediaType.APPLICATION_JSON).content("{\"userName\":\"a\"}")).andExpect(status().isOk());
        mvc.perform(post("/api/v1/outbox/retry-dead").header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/ruleset/reload").header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/outbox").header("Authorization", TestCredentials.ANALYST)).andExpect(status().isForbidden());

        mvc.perform(get("/api/v1/outbox").header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/decisions").header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isOk());
    }

    @Test
    void ofActuatorOnlyHealthIsPublic() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/actuator")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator").header("Authorization", TestCredentials.ANALYST)).andExpect(status().isForbidden());
        mvc.perform(get("/actuator").header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isOk());
        mvc.perform(get("/anything-else")).andExpect(status().isUnauthorized());
    }
}
