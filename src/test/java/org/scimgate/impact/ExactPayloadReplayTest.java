package org.scimgate.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.audit.AuditChain;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 23, finding 9c, over HTTP on a real PostgreSQL: a payload holding what jsonb cannot hold (a
 * NUL, a lone surrogate, a number beyond its range) is stored exactly, escaped, and replays as what
 * was judged; numbers are kept as written, never read as a double ({@code 1e999999999} is not
 * infinity); one that was not stored exactly (a NUL stored as U+FFFD by an earlier version) is
 * counted as not stored exactly and never reported as a flip.
 */
class ExactPayloadReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GENESYS = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User";
    private static final String[] BIG_NUMBERS = {
        "1e999999999", "-1e-999999999", "123456789012345678901234567890.000000000000000000001"};

    @Test
    void aCandidateIdenticalToTheLiveRulesFlipsNothingWhateverThePayloadsHeld() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        try (ConfigurableApplicationContext service = TestService.start(database)) {
            JdbcTemplate sql = service.getBean(JdbcTemplate.class);
            String nul = decide(service, "{\"userName\":\"jane\\u0000@acme.com\",\"emails\":[{\"value\":\"jane@acme.com\",\"primary\":true}]}");
            String surrogate = decide(service, "{\"userName\":\"sue@acme.com\",\"displayName\":\"Sue \\ud800\","
                    + "\"emails\":[{\"value\":\"sue@acme.com\",\"primary\":true}]}");
            // Numbers beyond a double, as written: in the envelope beside the user, in an attribute the reader
            // leaves out, and where the normalised user keeps a number (a routing skill's proficiency).
            Map<String, String> numbers = new LinkedHashMap<>();
            for (String number : BIG_NUMBERS) {
                numbers.put(post(service, "{\"eventType\":\"user.created\",\"sequence\":" + number + ",\"data\":"
                        + "{\"userName\":\"max@acme.com\",\"emails\":[{\"value\":\"max@acme.com\",\"primary\":true}]}}"),
                        number);
                numbers.put(decide(service, "{\"userName\":\"una@acme.com\",\"x-score\":" + number
                        + ",\"emails\":[{\"value\":\"una@acme.com\",\"primary\":true}]}"), number);
                numbers.put(decide(service, "{\"userName\":\"ros@acme.com\",\"emails\":[{\"value\":\"ros@acme.com\","
                        + "\"primary\":true}],\"" + GENESYS + "\":{\"routingSkills\":[{\"name\":\"Support\","
                        + "\"proficiency\":" + number + "}]}}"), number);
            }
            assertThat(sql.queryForObject("SELECT outcome FROM decision_audit WHERE decision_id = ?::uuid", String.class, nul))
                    .isEqualTo("REJECTED");

            Map<String, Object> stored = sql.queryForMap(
                    "SELECT payload_text, payload_exact FROM decision_audit WHERE decision_id = ?::uuid", nul);
            assertThat((String) stored.get("payload_text")).contains("\"userName\":\"jane\\u0000@acme.com\"");
            assertThat(stored.get("payload_exact")).isEqualTo(true);
            stored = sql.queryForMap("SELECT payload_text, payload_exact FROM decision_audit WHERE decision_id = ?::uuid", surrogate);
            assertThat((String) stored.get("payload_text")).contains("\"displayName\":\"Sue \\uD800\"");
            assertThat(stored.get("payload_exact")).isEqualTo(true);
            numbers.forEach((id, number) -> {
                Map<String, Object> row = sql.queryForMap("SELECT coalesce(payload_text, payload::text) AS stored,"
                        + " payload_exact, outcome FROM decision_audit WHERE decision_id = ?::uuid", id);
                assertThat(row.get("outcome")).as(number).isEqualTo("ACCEPTED");
                assertThat(row.get("payload_exact")).as(number + " kept as written").isEqualTo(true);
                // as written, or the same number in scientific form (never spelt out: 1e999999999 has a billion digits)
                assertThat((String) row.get("stored")).as(number).containsAnyOf(number, new BigDecimal(number).toString());
            });
            AuditChain chain = service.getBean(AuditChain.class);
            chain.seal(1000);
            assertThat(chain.verify().intact()).as("the chain holds the payloads as stored").isTrue();

            // As an earlier version stored a NUL: replaced by U+FFFD, with nothing saying so.
            sql.update("""
                    INSERT INTO decision_audit (decision_id, received_at, source, event_type, idempotency_key, user_name,
                        outcome, http_status, violations, payload, response_body)
                    VALUES (gen_random_uuid(), now(), 'webhook', 'user.created', 'earlier:' || gen_random_uuid(),
                        'old\uFFFD@acme.com', 'REJECTED', 200, '[{"code":"SCIM_INVALID_USERNAME"}]',
                        '{"eventType":"user.created","data":{"userName":"old\uFFFD@acme.com","emails":[{"value":"old@acme.com","primary":true}]}}',
                        '{}')""");

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            TestService.uri(service, "/api/v1/policy/impact"))
                    .header("Authorization", TestCredentials.ANALYST).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("since", "1d",
                            "files", Map.of("zz/unchanged.drl", "package zz;\n"))))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode report = JSON.readTree(answer.body());
            assertThat(report.path("changes").toString()).doesNotContain(nul).doesNotContain(surrogate)
                    .doesNotContain(numbers.keySet());
            assertThat(report.path("changed").asLong()).as(answer.body()).isZero();
            assertThat(report.path("codesChanged").asLong()).as(answer.body()).isZero();
            assertThat(report.path("notStoredExactly").asLong()).as(answer.body() + sql.queryForList(
                    "SELECT user_name, outcome, payload_exact FROM decision_audit"))
                    .as("only the U+FFFD an earlier version wrote").isEqualTo(1);
            assertThat(report.path("evaluated").asLong())
                    .as("the NUL, the lone surrogate and every big number, replayed as judged")
                    .isEqualTo(2 + numbers.size());
        }
    }

    /** Posts a user to the webhook and returns the id of the decision it answers with. */
    private static String decide(ConfigurableApplicationContext service, String user) throws Exception {
        return post(service, "{\"eventType\":\"user.created\",\"data\":" + user + "}");
    }

    private static String post(ConfigurableApplicationContext service, String envelope) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        TestService.uri(service, "/webhook/scim-validation"))
                .header("Content-Type", "application/json").header("Authorization", TestCredentials.WEBHOOK)
                .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(envelope))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 400); // accepted, or refused by the rules
        return JSON.readTree(answer.body()).get("decisionId").asText();
    }
}
