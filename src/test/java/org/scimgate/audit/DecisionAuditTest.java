package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

class DecisionAuditTest extends PostgresTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    DecisionLog log;

    private JsonNode deliver(String webhookId, String body) throws Exception {
        var request = post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK).contentType(MediaType.APPLICATION_JSON).content(body);
        if (webhookId != null) {
            request.header("x-genesys-webhook-id", webhookId);
        }
        MvcResult result = mvc.perform(request).andReturn();
        JsonNode answer = json.readTree(result.getResponse().getContentAsString());
        ((com.fasterxml.jackson.databind.node.ObjectNode) answer).put("_status", result.getResponse().getStatus());
        return answer;
    }

    private static String user(String userName, String domain) {
        return """
                {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
                 "data":{"id":"%s","userName":"%s","password":"hunter2-secret",
                         "emails":[{"value":"%s@%s","primary":true}],
                         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","costCenter":"CC-2042"}}}"""
                .formatted(UUID.randomUUID(), userName, userName, domain);
    }

    private Map<String, Object> row(JsonNode answer) {
        return jdbc.queryForMap("SELECT * FROM decision_audit WHERE decision_id = ?::uuid", answer.get("decisionId").asText());
    }

    @Test
    void recordsARowForEveryOutcome() throws Exception {
        String name = "audit-" + UUID.randomUUID();
        JsonNode accepted = deliver(UUID.randomUUID().toString(), user(name, "acme.com"));
        JsonNode rejected = deliver(UUID.randomUUID().toString(), user(name, "evil.com"));
        JsonNode ignored = deliver(UUID.randomUUID().toString(), "{\"eventType\":\"user.updated\",\"data\":{}}");
        JsonNode malformed = deliver(UUID.randomUUID().toString(), "{\"eventType\":\"user.created\",\"data\":7}");

        assertThat(row(accepted)).containsEntry("outcome", "ACCEPTED").containsEntry("http_status", 200)
                .containsEntry("user_name", name).containsEntry("source", "webhook");
        Map<String, Object> rejectedRow = row(rejected);
        assertThat(rejectedRow).containsEntry("outcome", "REJECTED").containsEntry("http_status", 400);
        assertThat(rejectedRow.get("violations").toString()).contains("SCIM_INVALID_EMAIL_DOMAIN").contains("\"mode\": \"enforce\"");
        assertThat(rejectedRow.get("fired_rules").toString()).contains("Primary email domain must be provisioned");
        assertThat(rejectedRow.get("ruleset_version")).isNotNull();
        assertThat(row(ignored)).containsEntry("outcome", "IGNORED").containsEntry("event_type", "user.updated");
        assertThat(row(malformed)).containsEntry("outcome", "MALFORMED")
                .containsEntry("detail", "data must be a SCIM user object, not a number");
        for (JsonNode answer : List.of(accepted, rejected, ignored, malformed)) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM siem_outbox WHERE decision_id = ?::uuid", Long.class,
                    answer.get("decisionId").asText())).isOne();
        }
    }

    @Test
    void neverStoresThePassword() throws Exception {
        JsonNode answer = deliver(UUID.randomUUID().toString(), user("pw-" + UUID.randomUUID(), "acme.com"));
        Map<String, Object> row = row(answer);
        assertThat(row.get("payload").toString()).contains("userName").doesNotContain("hunter2-secret").doesNotContain("password");
        assertThat(row.get("response_body").toString()).doesNotContain("hunter2-secret");
    }

    @Test
    void refusesUpdateDeleteAndTruncate() throws Exception {
        String id = deliver(UUID.randomUUID().toString(), user("ro-" + UUID.randomUUID(), "acme.com")).get("decisionId").asText();
        // the service's own role may not even try
        assertThatThrownBy(() -> jdbc.update("UPDATE decision_audit SET outcome = 'REJECTED' WHERE decision_id = ?::uuid", id))
                .rootCause().hasMessageContaining("permission denied for table decision_audit");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM decision_audit WHERE decision_id = ?::uuid", id))
                .rootCause().hasMessageContaining("permission denied for table decision_audit");
        assertThatThrownBy(() -> jdbc.execute("TRUNCATE decision_audit CASCADE"))
                .rootCause().hasMessageContaining("permission denied for table decision_audit");
        // and the table's owner is stopped by the append-only triggers
        JdbcTemplate owner = owner();
        assertThatThrownBy(() -> owner.update("UPDATE decision_audit SET outcome = 'REJECTED' WHERE decision_id = ?::uuid", id))
                .isInstanceOf(org.springframework.dao.DataAccessException.class).rootCause().hasMessageContaining("append-only: UPDATE is not allowed");
        assertThatThrownBy(() -> owner.update("DELETE FROM decision_audit WHERE decision_id = ?::uuid", id))
                .rootCause().hasMessageContaining("append-only: DELETE is not allowed");
        assertThatThrownBy(() -> owner.execute("TRUNCATE decision_audit CASCADE"))
                .rootCause().hasMessageContaining("append-only: TRUNCATE is not allowed");
        assertThat(jdbc.queryForObject("SELECT outcome FROM decision_audit WHERE decision_id = ?::uuid", String.class, id))
                .isEqualTo("ACCEPTED");
    }

    @Test
    void answersARetriedDeliveryWithTheFirstDecision() throws Exception {
        String webhookId = UUID.randomUUID().toString();
        String name = "retry-" + UUID.randomUUID();
        String retried = user(name, "evil.com");
        JsonNode first = deliver(webhookId, retried);
        JsonNode again = deliver(webhookId, retried);
        assertThat(again).isEqualTo(first);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE delivery_id = ?", Long.class, webhookId))
                .isOne();
        // Without the header, the same body is the same delivery.
        String body = user("nohdr-" + UUID.randomUUID(), "acme.com");
        assertThat(deliver(null, body).get("decisionId")).isEqualTo(deliver(null, body).get("decisionId"));
    }

    @Test
    void concurrentDuplicateDeliveriesMakeOneRow() throws Exception {
        String webhookId = UUID.randomUUID().toString();
        String body = user("race-" + UUID.randomUUID(), "acme.com");
        int copies = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return deliver(webhookId, body);
                }));
            }
            start.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<JsonNode> answer : answers) {
                JsonNode node = answer.get();
                assertThat(node.get("_status").asInt()).isEqualTo(200);
                ids.add(node.get("decisionId").asText());
            }
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE delivery_id = ?", Long.class, webhookId))
                .isOne();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM siem_outbox o JOIN decision_audit a USING (decision_id) "
                + "WHERE a.delivery_id = ?", Long.class, webhookId)).isOne();
    }

    @Test
    void analystViewsShowOneRowPerDecisionAndPerViolation() throws Exception {
        String name = "view-" + UUID.randomUUID();
        String body = """
                {"eventType":"user.created","data":{"userName":"%s","emails":[{"value":"x@evil.com","primary":true}],
                 "department":"Marketing"}}""".formatted(name);
        deliver(UUID.randomUUID().toString(), body);
        assertThat(jdbc.queryForObject("SELECT violation_count FROM decisions WHERE user_name = ?", Integer.class, name))
                .isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT code FROM decision_violations WHERE user_name = ? ORDER BY code", String.class, name))
                .containsExactly("POLICY_DEPARTMENT_DENIED", "SCIM_INVALID_EMAIL_DOMAIN");
    }

    @Test
    void queryApiFiltersAndPagesNewestFirst() throws Exception {
        String name = "api-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(0, deliver(UUID.randomUUID().toString(), user(name, "evil.com")).get("decisionId").asText());
        }
        deliver(UUID.randomUUID().toString(), user(name, "acme.com"));

        MvcResult first = mvc.perform(get("/api/v1/decisions").header("Authorization", TestCredentials.OPERATOR).param("userName", name).param("outcome", "REJECTED")
                        .param("code", "SCIM_INVALID_EMAIL_DOMAIN").param("limit", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(2))
                .andExpect(jsonPath("$.items[0].decisionId").value(ids.get(0)))
                .andExpect(jsonPath("$.items[1].decisionId").value(ids.get(1)))
                .andExpect(jsonPath("$.nextCursor").isString())
                .andReturn();
        String cursor = json.readTree(first.getResponse().getContentAsString()).get("nextCursor").asText();
        mvc.perform(get("/api/v1/decisions").header("Authorization", TestCredentials.OPERATOR).param("userName", name).param("outcome", "REJECTED")
                        .param("limit", "2").param("cursor", cursor))
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].decisionId").value(ids.get(2)))
                .andExpect(jsonPath("$.nextCursor").doesNotExist());
        mvc.perform(get("/api/v1/decisions/" + ids.get(0)).header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value("REJECTED"))
                .andExpect(jsonPath("$.payload.data.userName").value(name))
                .andExpect(jsonPath("$.payload.data.password").doesNotExist());
        mvc.perform(get("/api/v1/decisions/" + UUID.randomUUID()).header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/decisions").header("Authorization", TestCredentials.OPERATOR).param("outcome", "MAYBE"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").isString());
        mvc.perform(get("/api/v1/decisions").header("Authorization", TestCredentials.OPERATOR).param("from", "yesterday")).andExpect(status().isBadRequest());
    }

    @Test
    void listsAndShowsGatewayOutcomesWithTheirOperationAndUpstreamStatus() throws Exception {
        String name = "forwarded-" + UUID.randomUUID();
        UUID id = DecisionIds.next();
        log.record(new DecisionRecord(id, java.time.Instant.now(), "gateway", "scim.POST", null, null, "gateway:" + id,
                "genesys-user-1", name, "FORWARDED", 201, null, null, "v-test", null, null, null, "{}",
                "POST /scim/v2/Users", 201));

        mvc.perform(get("/api/v1/decisions").header("Authorization", TestCredentials.OPERATOR)
                        .param("outcome", "FORWARDED").param("userName", name))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].decisionId").value(id.toString()))
                .andExpect(jsonPath("$.items[0].operation").value("POST /scim/v2/Users"))
                .andExpect(jsonPath("$.items[0].upstreamStatus").value(201));
        mvc.perform(get("/api/v1/decisions/" + id).header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.operation").value("POST /scim/v2/Users"))
                .andExpect(jsonPath("$.upstreamStatus").value(201));
        mvc.perform(get("/api/v1/decisions").header("Authorization", TestCredentials.OPERATOR).param("outcome", "UNAVAILABLE"))
                .andExpect(status().isOk());
    }

    @Test
    void storesANulCharacterAsTheReplacementCharacterInTextAndJsonColumns() throws Exception {
        String tag = UUID.randomUUID().toString();
        JsonNode answer = deliver(null, """
                {"eventType":"user.created","data":{"userName":"nul\\u0000%s@acme.com","title":"a\\u0000b",
                 "emails":[{"value":"nul@acme.com","primary":true}]}}""".formatted(tag));
        String id = answer.get("decisionId").asText();
        assertThat(jdbc.queryForObject("SELECT user_name FROM decision_audit WHERE decision_id = ?::uuid", String.class, id))
                .isEqualTo("nul\uFFFD" + tag + "@acme.com");
        assertThat(jdbc.queryForObject("SELECT payload -> 'data' ->> 'title' FROM decision_audit WHERE decision_id = ?::uuid",
                String.class, id)).isEqualTo("a\uFFFDb");
    }
}
