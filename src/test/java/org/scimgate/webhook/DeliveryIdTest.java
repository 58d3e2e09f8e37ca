package org.scimgate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A delivery id stands for one body. Tried the way someone slipping a user past the policy would:
 * reuse an id that was already answered, send a blank or unrendered one, send one too long to
 * index, or a user name too long for a btree — over real HTTP, against a real PostgreSQL.
 */
class DeliveryIdTest extends PostgresTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    record Answer(int status, JsonNode body) {
    }

    private Answer deliver(String webhookId, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook/scim-validation"))
                .header("Authorization", TestCredentials.WEBHOOK).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (webhookId != null) {
            request.header("x-genesys-webhook-id", webhookId);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static String user(String userName, String domain, String department) {
        return """
                {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
                 "data":{"userName":"%s","emails":[{"value":"%s@%s","primary":true}],
                         "department":"%s","costCenter":"CC-1234"}}""".formatted(userName, userName, domain, department);
    }

    private List<String> outcomesOf(String deliveryId) {
        return jdbc.queryForList("SELECT outcome || ':' || http_status FROM decision_audit WHERE delivery_id = ? ORDER BY seq",
                String.class, deliveryId);
    }

    @Test
    void refusesADeliveryIdReusedForAnotherBodyAndRecordsTheAttemptOnItsOwnRow() throws Exception {
        String id = "X-" + UUID.randomUUID();
        Answer jane = deliver(id, user("jane", "acme.com", "Engineering"));
        Answer mallory = deliver(id, user("mallory", "evil.com", "Marketing"));

        assertThat(jane.status()).isEqualTo(200);
        assertThat(mallory.status()).isEqualTo(409);
        assertThat(mallory.body().get("errorCode").asText()).isEqualTo("DELIVERY_ID_REUSED");
        assertThat(mallory.body().get("decisionId").asText()).isNotEqualTo(jane.body().get("decisionId").asText());
        assertThat(outcomesOf(id)).containsExactly("ACCEPTED:200", "MALFORMED:409");
        assertThat(jdbc.queryForObject("SELECT payload -> 'data' ->> 'userName' FROM decision_audit WHERE decision_id = ?::uuid",
                String.class, mallory.body().get("decisionId").asText())).isEqualTo("mallory");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM siem_outbox WHERE decision_id = ?::uuid", Integer.class,
                mallory.body().get("decisionId").asText())).as("the refused attempt is exported too").isEqualTo(1);
    }

    @Test
    void answersARetriedDeliveryOfTheSameBodyWithTheFirstDecision() throws Exception {
        String id = "retry-" + UUID.randomUUID();
        String body = user("retried", "acme.com", "Engineering");
        Answer first = deliver(id, body);
        Answer again = deliver(id, body);

        assertThat(again.status()).isEqualTo(first.status()).isEqualTo(200);
        assertThat(again.body().get("decisionId")).isEqualTo(first.body().get("decisionId"));
        assertThat(outcomesOf(id)).hasSize(1);
    }

    @Test
    void judgesEveryRequestWhoseIdIsBlankOrAnUnrenderedTemplate() throws Exception {
        for (String id : List.of("", "   ", "{{webhookId}}", "${input.webhookId}")) {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            Answer jane = deliver(id, user("jane-" + suffix, "acme.com", "Engineering"));
            Answer mallory = deliver(id, user("mallory-" + suffix, "evil.com", "Marketing"));
            assertThat(jane.status()).as("compliant user with id '%s'", id).isEqualTo(200);
            assertThat(mallory.status()).as("non-compliant user with id '%s'", id).isEqualTo(400);
            assertThat(mallory.body().get("status").asText()).isEqualTo("REJECTED");
        }
    }

    @Test
    void refusesAnIdOverTheLimitWithA400ThatIsRecorded() throws Exception {
        String longId = "L".repeat(3_000);
        Answer answer = deliver(longId, user("long-id", "acme.com", "Engineering"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("detail").asText()).contains("x-genesys-webhook-id", "256");
        assertThat(jdbc.queryForObject("SELECT outcome FROM decision_audit WHERE decision_id = ?::uuid", String.class,
                answer.body().get("decisionId").asText())).isEqualTo("MALFORMED");
        Answer atTheLimit = deliver(UUID.randomUUID() + "M".repeat(DeliveryId.MAX_LENGTH - 36),
                user("limit-id-" + UUID.randomUUID(), "acme.com", "Engineering"));
        assertThat(atTheLimit.status()).isEqualTo(200);
    }

    @Test
    void recordsAUserNameTooLongForABtreeWhileConcurrentCompliantRequestsAllSucceed() throws Exception {
        String cjk = "\u7530".repeat(2_000) + "@acme.com";
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Answer>> compliant = new ArrayList<>();
            List<Future<Answer>> poison = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String n = "c" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
                compliant.add(pool.submit(() -> deliver(UUID.randomUUID().toString(), user(n, "acme.com", "Engineering"))));
                if (i % 50 == 0) {
                    poison.add(pool.submit(() -> deliver(UUID.randomUUID().toString(), """
                            {"eventType":"user.created","data":{"userName":"%s",
                             "emails":[{"value":"cjk@acme.com","primary":true}],"department":"Engineering","costCenter":"CC-1234"}}"""
                            .formatted(cjk))));
                    poison.add(pool.submit(() -> deliver("L".repeat(3_000),
                            user("cjk-id-" + UUID.randomUUID(), "acme.com", "Engineering"))));
                }
            }
            for (Future<Answer> answer : compliant) {
                assertThat(answer.get().status()).isEqualTo(200);
            }
            for (Future<Answer> answer : poison) {
                Answer a = answer.get();
                assertThat(a.status()).as("%s", a.body()).isIn(200, 400);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE decision_id = ?::uuid",
                        Integer.class, a.body().get("decisionId").asText())).isEqualTo(1);
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE user_name = ?", Integer.class, cjk))
                    .as("the long name is stored and found by the decisions index").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }
}
