package org.scimgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** What an operator scrapes and reads: Prometheus metrics, health groups, ECS logs, the OpenAPI document. */
@ExtendWith(OutputCaptureExtension.class)
@ActiveProfiles("test")
@SpringBootTest(properties = "logging.structured.format.console=ecs")
@AutoConfigureMockMvc
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
@DirtiesContext
class ObservabilityTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;

    /**
     * Logback is configured once per JVM and stays so while any cached context of an earlier class
     * lives: undo that, so this class's context configures the ECS format it tests.
     */
    @BeforeAll
    static void forgetEarlierLoggingConfiguration() {
        LoggingSystem.get(ObservabilityTest.class.getClassLoader()).cleanUp();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.Database database = TestPostgres.newDatabase();
        database.register(registry);
    }

    private String deliver(String domain) throws Exception {
        String body = "{\"eventType\":\"user.created\",\"data\":{\"userName\":\"m@" + domain
                + "\",\"emails\":[{\"value\":\"m@" + domain + "\",\"primary\":true}]}}";
        return json.readTree(mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK)
                        .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andReturn().getResponse().getContentAsString()).get("decisionId").asText();
    }

    @Test
    void exposesDecisionRuleRelayAndGenesysMetricsToPrometheus() throws Exception {
        deliver("acme.com");
        deliver("evil.com");
        String metrics = mvc.perform(get("/actuator/prometheus").header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(metrics)
                .containsPattern("scimgate_decisions_total\\{outcome=\"ACCEPTED\",source=\"webhook\"} [1-9]")
                .containsPattern("scimgate_decisions_total\\{outcome=\"REJECTED\",source=\"webhook\"} [1-9]")
                .containsPattern("scimgate_rule_matches_total\\{code=\"SCIM_INVALID_EMAIL_DOMAIN\",mode=\"enforce\"} [1-9]")
                .contains("scimgate_policy_evaluation_seconds_bucket")
                .contains("scimgate_outbox_backlog")
                .contains("scimgate_outbox_oldest_pending_age_seconds")
                .contains("scimgate_outbox_dead")
                .contains("resilience4j_circuitbreaker_state");
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
    }

    @Test
    void groupsHealthForLoadBalancersAndOperators() throws Exception {
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP")).andExpect(jsonPath("$.components").doesNotExist());
        mvc.perform(get("/actuator/health/readiness").header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.db.status").value("UP"))
                .andExpect(jsonPath("$.components.ruleset.details.version").isString());
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
        mvc.perform(get("/actuator/health/delivery").header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.relay.details.pending").isNumber())
                .andExpect(jsonPath("$.components.circuitBreakers").exists());
    }

    @Test
    void writesEcsJsonLogLinesCarryingTheDecisionId(CapturedOutput output) throws Exception {
        String decisionId = deliver("evil.com"); // refusals are logged at INFO, acceptances at DEBUG
        JsonNode line = output.getOut().lines().filter(l -> l.startsWith("{") && l.contains(decisionId))
                .map(l -> {
                    try {
                        return json.readTree(l);
                    } catch (Exception e) {
                        return null;
                    }
                })
                .filter(n -> n != null && n.has("decisionId")).findFirst().orElseThrow();
        assertThat(line.get("decisionId").asText()).isEqualTo(decisionId);
        assertThat(line.has("@timestamp")).isTrue();
        assertThat(line.at("/log/level").asText()).isEqualTo("INFO");
        assertThat(line.at("/ecs/version").isMissingNode()).isFalse();
    }

    @Test
    void documentsTheWebhookAndTheApiWithTheirRealBodies() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isUnauthorized());
        JsonNode doc = json.readTree(mvc.perform(get("/v3/api-docs").header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        JsonNode webhook = doc.at("/paths/~1webhook~1scim-validation/post");
        assertThat(webhook.at("/requestBody/content/application~1json/schema/$ref").asText()).endsWith("WebhookEnvelope");
        assertThat(webhook.at("/responses/400/content/application~1json/schema/oneOf").toString())
                .contains("WebhookRejected").contains("WebhookError");
        assertThat(webhook.at("/responses/503").isMissingNode()).isFalse();
        assertThat(doc.at("/components/schemas/WebhookRejected/properties").fieldNames()).toIterable()
                .contains("webhookId", "eventType", "eventTimestamp", "status", "errorCode", "violations", "timestamp",
                        "decisionId");
        assertThat(doc.at("/paths").fieldNames()).toIterable()
                .contains("/api/v1/decisions", "/api/v1/policy/evaluate", "/api/v1/ruleset", "/api/v1/outbox",
                        "/api/v1/audit/verify");
    }
}
