package org.scimgate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.SlowRules;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestRules;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Rules that pass the capability check and their examples, then fail for some users: a stack
 * overflow (a lambda applied to itself, which no call graph shows), an OutOfMemoryError (from
 * library code the operator allowed), rules that keep triggering each other past the firing cap.
 * Over real HTTP, the webhook and the gateway refuse such a user and record the refusal, fail
 * closed; the dry-run API answers a structured problem; none answers 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RulesThatFailAreRecordedRefusalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SCIM_TOKEN = "scim-token-for-failing-rules";
    private static final LoopbackServer GENESYS = genesys();

    static final String FAILING_DRL = """
            package failing;
            import org.scimgate.scim.ScimUser;
            import org.scimgate.policy.Violation;

            declare Counter
                n : int
                max : int
            end

            function boolean deep(String s) {
                if (!s.startsWith("deep-")) {
                    return s.startsWith("mark-deep-");
                }
                // no recursion the check can see: a lambda applied to itself overflows the stack
                java.util.function.UnaryOperator<Object> self = f -> ((java.util.function.UnaryOperator<Object>) f).apply(f);
                return self.apply(self) != null;
            }

            function boolean heavy(String s) {
                return org.scimgate.support.SlowRules.exhaustMemoryIf(s, "heavy-") || s.startsWith("mark-heavy-");
            }

            function boolean counted(String s) {
                return s.startsWith("count-") || s.startsWith("busy-");
            }

            function int limit(String s) {
                return s.startsWith("busy-") ? 1000000 : 3;
            }

            rule "Deep names are marked"
                @code("FAILING_DEEP") @severity("low") @mode("dryrun")
            when
                ScimUser( userName != null, deep(userName) )
            then
                insert(new Violation("userName", "deep"));
            end

            rule "Heavy names are marked"
                @code("FAILING_HEAVY") @severity("low") @mode("dryrun")
            when
                ScimUser( userName != null, heavy(userName) )
            then
                insert(new Violation("userName", "heavy"));
            end

            rule "Some names are counted"
                @code("FAILING_COUNTED") @severity("low") @mode("dryrun")
            when
                ScimUser( userName != null, counted(userName), $name : userName )
            then
                insert(new Counter(0, limit($name)));
                insert(new Violation("userName", "counted"));
            end

            rule "Counting goes on"
                @code("FAILING_COUNTING") @severity("low") @mode("dryrun")
            when
                $c : Counter( n < max )
            then
                modify($c) { setN($c.getN() + 1) };
            end
            """;

    static final String FAILING_EXAMPLES = """
            "Deep names are marked":
              allowed: [{name: anyone, user: {userName: jane@acme.com}}]
              disallowed: [{name: a marked name, user: {userName: mark-deep-1@acme.com}, expect: [FAILING_DEEP]}]
            "Heavy names are marked":
              allowed: [{name: anyone, user: {userName: jane@acme.com}}]
              disallowed: [{name: a marked name, user: {userName: mark-heavy-1@acme.com}, expect: [FAILING_HEAVY]}]
            "Some names are counted":
              allowed: [{name: anyone, user: {userName: jane@acme.com}}]
              disallowed: [{name: a counted name, user: {userName: count-1@acme.com}, expect: [FAILING_COUNTED]}]
            "Counting goes on":
              allowed: [{name: anyone, user: {userName: jane@acme.com}}]
              disallowed: [{name: a counted name, user: {userName: count-2@acme.com}, expect: [FAILING_COUNTED]}]
            """;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private static LoopbackServer genesys() {
        try {
            LoopbackServer server = new LoopbackServer();
            server.respond(request -> request.path().equals("/oauth/token")
                    ? LoopbackServer.Response.of(200, "{\"access_token\":\"genesys-token\",\"expires_in\":86400}")
                    : new LoopbackServer.Response(201, request.body(), Map.of("ETag", "W/\"1\"")));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        Path rules = TestRules.copyOfShippedRules("scimgate-failing-rules");
        Files.createDirectories(rules.resolve("failing"));
        Files.writeString(rules.resolve("failing/failing.drl"), FAILING_DRL);
        Files.writeString(rules.resolve("failing/examples.yaml"), FAILING_EXAMPLES);
        TestPostgres.newDatabase().register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.policy.rules-dir", rules::toString);
        registry.add("scimgate.policy.watch", () -> "false");
        registry.add("scimgate.policy.allowed-types", () -> SlowRules.ALLOW);
        // 10,000 firings take seconds on a loaded machine: the firing cap, not the timeout, must end them.
        registry.add("scimgate.policy.evaluation-timeout", () -> "60s");
        registry.add("scimgate.gateway.scim-token", () -> SCIM_TOKEN);
        registry.add("scimgate.genesys.client-id", () -> "client");
        registry.add("scimgate.genesys.client-secret", () -> "secret");
        registry.add("scimgate.genesys.api-base-url", () -> GENESYS.uri().toString());
        registry.add("scimgate.genesys.login-base-url", () -> GENESYS.uri().toString());
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> rules.resolveSibling(rules.getFileName() + "-siem.ndjson").toString());
    }

    @AfterAll
    static void stop() {
        GENESYS.close();
    }

    private HttpResponse<String> post(String path, String authorization, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization).header("Content-Type", contentType)
                .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String user(String userName) {
        return """
                {"userName":"%s","emails":[{"value":"%s","primary":true,"type":"work"}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering","costCenter":"CC-1234"}}"""
                .formatted(userName, userName);
    }

    private String recorded(String source, String userName) {
        return jdbc.queryForObject("SELECT string_agg(outcome || ':' || (violations -> 0 ->> 'code'), ',') FROM decision_audit "
                + "WHERE source = ? AND user_name = ?", String.class, source, userName);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "a stack overflow, deep, POLICY_EVALUATION_FAILED",
            "an OutOfMemoryError, heavy, POLICY_EVALUATION_FAILED",
            "the firing cap, busy, POLICY_FIRING_LIMIT"})
    void theWebhookRefusesAndRecordsAUserTheRulesFailOn(String what, String prefix, String code) throws Exception {
        String name = prefix + "-webhook@acme.com";
        HttpResponse<String> answer = post("/webhook/scim-validation", TestCredentials.WEBHOOK, "application/json",
                "{\"eventType\":\"user.created\",\"data\":" + user(name) + "}");

        assertThat(answer.statusCode()).as(what).isEqualTo(400);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("status").asText()).isEqualTo("REJECTED");
        assertThat(body.at("/violations/0/code").asText()).isEqualTo(code);
        assertThat(recorded("webhook", name)).isEqualTo("REJECTED:" + code);
        assertThat(post("/webhook/scim-validation", TestCredentials.WEBHOOK, "application/json",
                "{\"eventType\":\"user.created\",\"data\":" + user("jane.after." + prefix + "@acme.com") + "}")
                .statusCode()).as("decides for others after").isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "a stack overflow, deep, POLICY_EVALUATION_FAILED",
            "an OutOfMemoryError, heavy, POLICY_EVALUATION_FAILED",
            "the firing cap, busy, POLICY_FIRING_LIMIT"})
    void theGatewayRefusesRecordsAndForwardsNothing(String what, String prefix, String code) throws Exception {
        String name = prefix + "-gateway@acme.com";
        long writesBefore = GENESYS.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().contains("/scim/")).count();
        HttpResponse<String> answer = post("/scim/v2/Users", "Bearer " + SCIM_TOKEN, "application/scim+json", user(name));

        assertThat(answer.statusCode()).as(what).isEqualTo(400);
        assertThat(answer.body()).contains(code);
        assertThat(recorded("gateway", name)).isEqualTo("REJECTED:" + code);
        assertThat(GENESYS.requests().stream().filter(r -> r.method().equals("POST") && r.path().contains("/scim/")).count())
                .as("nothing forwarded").isEqualTo(writesBefore);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "a stack overflow, deep, POLICY_EVALUATION_FAILED",
            "an OutOfMemoryError, heavy, POLICY_EVALUATION_FAILED",
            "the firing cap, busy, POLICY_FIRING_LIMIT"})
    void theDryRunAnswersAProblemNotA500(String what, String prefix, String code) throws Exception {
        HttpResponse<String> answer = post("/api/v1/policy/evaluate", TestCredentials.ANALYST, "application/json",
                user(prefix + "-dry-run@acme.com"));

        assertThat(answer.statusCode()).as(what).isEqualTo(503);
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("title").asText()).isEqualTo("Policy evaluation failed");
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(answer.body()).doesNotContain(prefix + "-dry-run");
    }
}
