package org.scimgate.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Requests refused before authentication are counted per client address and minute, one audit
 * row each (sealed and exported as any other), and an address past its budget is answered 429.
 * Over real HTTP from distinct loopback addresses, on a real PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scimgate.edge.refusals-per-minute=50",
        "scimgate.gateway.scim-token=edge-test-scim-token",
        "scimgate.genesys.client-id=client",
        "scimgate.genesys.client-secret=secret",
        "scimgate.genesys.api-base-url=http://127.0.0.1:9",
        "scimgate.genesys.login-base-url=http://127.0.0.1:9"})
class UnauthenticatedTrafficTest extends PostgresTest {

    private static final int BUDGET = 50;
    private static final String BODY = """
            {"eventType":"user.created","data":{"userName":"flood@acme.com","emails":[{"value":"flood@acme.com","primary":true}],
             "department":"Engineering","costCenter":"CC-1234"}}""";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Refusals refusals;
    @Autowired
    ObjectMapper json;

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    private RawHttp.Answer unauthenticatedWebhook(String from, String deliveryId) throws Exception {
        return RawHttp.exchange(from, port, RawHttp.post("/webhook/scim-validation",
                "Connection: close\r\nAuthorization: Bearer not-the-token\r\nx-genesys-webhook-id: " + deliveryId + "\r\n",
                BODY.length()) + BODY);
    }

    @Test
    void aFloodOfUnauthenticatedPostsLeavesOneRowPerAddressAndMinuteWithTheCounts() throws Exception {
        refusals.recordAll();
        long audit = count("decision_audit");
        long outbox = count("siem_outbox");
        long chain = count("audit_chain");
        String from = "127.0.0.11";
        Set<String> rowIds = new HashSet<>();
        int refused = 0;
        int throttled = 0;
        for (int i = 0; i < 300; i++) {
            String deliveryId = String.format("%03d", i) + "x".repeat(253);
            RawHttp.Answer answer = unauthenticatedWebhook(from, deliveryId);
            assertThat(answer.status()).isIn(401, 429);
            JsonNode body = json.readTree(answer.body());
            assertThat(body.get("status").asText()).isEqualTo("UNAUTHENTICATED");
            rowIds.add(body.get("decisionId").asText());
            if (answer.status() == 401) {
                refused++;
            } else {
                throttled++;
            }
        }
        assertThat(rowIds).as("one row per minute of this address").hasSizeBetween(1, 2);
        refusals.recordAll();

        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT decision_id::text AS id, outcome, (payload->>'refused')::int AS refused,
                       (payload->>'throttled')::int AS throttled, payload->'sample'->>'deliveryId' AS sample_id,
                       payload::text AS payload, detail
                  FROM decision_audit WHERE source = 'edge' AND payload->>'address' = ?""", from);
        assertThat(rows).hasSize(rowIds.size());
        assertThat(rows).extracting(r -> r.get("id")).containsExactlyInAnyOrderElementsOf(rowIds);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("outcome")).isEqualTo("UNAUTHENTICATED");
            assertThat(((String) r.get("sample_id")).length()).as("the sample is bounded").isLessThanOrEqualTo(121);
            assertThat((String) r.get("payload")).doesNotContain("not-the-token");
        });
        assertThat(rows.stream().mapToInt(r -> (Integer) r.get("refused")).sum()).isEqualTo(refused);
        assertThat(rows.stream().mapToInt(r -> (Integer) r.get("throttled")).sum()).isEqualTo(throttled);
        assertThat(refused + throttled).isEqualTo(300);

        assertThat(count("decision_audit") - audit).as("audit rows added").isLessThanOrEqualTo(2 + 2);
        assertThat(count("siem_outbox") - outbox).as("outbox records added").isLessThanOrEqualTo(2 + 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM audit_chain WHERE decision_id::text IN (" + String.join(",",
                        rowIds.stream().map(id -> "'" + id + "'").toList()) + ")", Long.class))
                .as("every aggregate row is sealed in the chain").isEqualTo(rowIds.size()));
        assertThat(count("audit_chain") - chain).as("chain links added").isLessThanOrEqualTo(2 + 2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM siem_outbox WHERE decision_id::text IN (" + String.join(",",
                rowIds.stream().map(id -> "'" + id + "'").toList()) + ")", Long.class))
                .as("every aggregate row goes to the SIEM").isEqualTo(rowIds.size());
    }

    @Test
    void anAddressPastItsBudgetIsAnswered429WithRetryAfterWhileOthersAndAuthenticatedCallersAreNot() throws Exception {
        String from = "127.0.0.12";
        List<Integer> statuses = new ArrayList<>();
        RawHttp.Answer throttled = null;
        for (int i = 0; i < 2 * BUDGET + 2 && throttled == null; i++) {
            RawHttp.Answer answer = unauthenticatedWebhook(from, "budget-" + i);
            statuses.add(answer.status());
            if (answer.status() == 429) {
                throttled = answer;
            }
        }
        assertThat(throttled).as("a 429 within two budgets (a minute may end in between): " + statuses).isNotNull();
        assertThat(statuses.subList(0, statuses.size() - 1)).as("refused with 401 until the budget is spent")
                .containsOnly(401).hasSizeGreaterThanOrEqualTo(BUDGET);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 61L);
        assertThat(json.readTree(throttled.body()).get("errorCode").asText()).isEqualTo("TOO_MANY_REFUSALS");

        RawHttp.Answer api = RawHttp.exchange(from, port,
                "GET /api/v1/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(api.status()).isEqualTo(429);
        assertThat(api.header("Retry-After")).isNotNull();
        assertThat(api.header("Content-Type")).startsWith("application/problem+json");
        RawHttp.Answer gateway = RawHttp.exchange(from, port,
                "GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer wrong\r\n\r\n");
        assertThat(gateway.status()).isEqualTo(429);
        assertThat(gateway.header("Retry-After")).isNotNull();
        assertThat(json.readTree(gateway.body()).get("schemas").get(0).asText())
                .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");

        assertThat(unauthenticatedWebhook("127.0.0.13", "another-address").status())
                .as("another address has a budget of its own").isEqualTo(401);
        RawHttp.Answer authenticated = RawHttp.exchange(from, port, RawHttp.post("/webhook/scim-validation",
                "Connection: close\r\nAuthorization: " + TestCredentials.WEBHOOK + "\r\nx-genesys-webhook-id: budget-authenticated\r\n",
                BODY.length()) + BODY);
        assertThat(authenticated.status()).as("an authenticated caller from a throttled address").isEqualTo(200);
        String decisionId = json.readTree(authenticated.body()).get("decisionId").asText();
        assertThat(jdbc.queryForObject("SELECT source FROM decision_audit WHERE decision_id = ?::uuid", String.class,
                decisionId)).as("still one row of its own").isEqualTo("webhook");
    }

    @Test
    void refusalsOfTheGatewayAndTheApiAreCountedInTheAddressRowToo() throws Exception {
        String from = "127.0.0.14";
        refusals.recordAll();
        long others = jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE source <> 'edge'", Long.class);
        for (int i = 0; i < 5; i++) {
            assertThat(RawHttp.exchange(from, port, "GET /api/v1/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\nAuthorization: Bearer wrong-key\r\n\r\n").status()).isEqualTo(401);
            assertThat(RawHttp.exchange(from, port, "GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").status()).isEqualTo(401);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE source <> 'edge'", Long.class))
                .as("no decision row per refusal").isEqualTo(others);
        refusals.recordAll();
        // The scheduled recorder (every 5 s) may flush in the middle of the loop, splitting the
        // address's counts over two rows, each naming only the endpoints it saw.
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT coalesce((payload->'byEndpoint'->>'api')::int, 0) AS api,
                       coalesce((payload->'byEndpoint'->>'gateway')::int, 0) AS gateway
                  FROM decision_audit WHERE source = 'edge' AND payload->>'address' = ?""", from);
        assertThat(rows).as("one row per address and flush, not one per refusal").hasSizeBetween(1, 3);
        assertThat(rows.stream().mapToInt(r -> (Integer) r.get("api")).sum()).isEqualTo(5);
        assertThat(rows.stream().mapToInt(r -> (Integer) r.get("gateway")).sum()).isEqualTo(5);
    }
}
