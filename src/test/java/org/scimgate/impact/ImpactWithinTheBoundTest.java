package org.scimgate.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scimgate.policy.CutOffEvaluations;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.support.SlowRules;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestRules;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /api/v1/policy/impact} over real HTTP against a history recorded through the real
 * webhook: a candidate whose example throws is refused 422 like any failing example, and a
 * candidate that spins for many past users leaves no more evaluations spinning than the one bound
 * the live path shares ({@link PolicyEngine#MAX_STILL_RUNNING}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ImpactWithinTheBoundTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int LOOPING_ROWS = 8;
    private static boolean recorded;

    @LocalServerPort
    int port;
    @Autowired
    PolicyEngine engine;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path live = TestRules.copyOfShippedRules("scimgate-impact-bound");
        TestPostgres.newDatabase().register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.policy.rules-dir", live::toString);
        registry.add("scimgate.policy.watch", () -> "false");
        registry.add("scimgate.policy.evaluation-timeout", () -> "3s");
        registry.add("scimgate.policy.allowed-types", () -> SlowRules.ALLOW);
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> live.resolveSibling(live.getFileName() + "-siem.ndjson").toString());
    }

    @BeforeEach
    void recordHistory() throws Exception {
        CutOffEvaluations.awaitNoneRunning();
        if (recorded) {
            return;
        }
        recorded = true;
        for (int i = 0; i < LOOPING_ROWS; i++) {
            assertThat(post("/webhook/scim-validation", TestCredentials.WEBHOOK, "{\"eventType\":\"user.created\",\"data\":"
                    + "{\"userName\":\"loop-%d@acme.com\",\"emails\":[{\"value\":\"loop-%d@acme.com\",\"primary\":true}]}}"
                    .formatted(i, i)).statusCode()).isBetween(200, 400);
        }
    }

    private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> impact(String drl, String examples) throws Exception {
        return post("/api/v1/policy/impact", TestCredentials.ANALYST, JSON.writeValueAsString(Map.of("since", "1d",
                "files", Map.of("candidate/candidate.drl", drl, "candidate/examples.yaml", examples))));
    }

    @Test
    void aCandidateWhoseExampleThrowsIsRefused422() throws Exception {
        HttpResponse<String> answer = impact("""
                package candidate;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;
                rule "Display names are numbers"
                    @code("CANDIDATE_NUMBERS") @severity("low") @mode("dryrun")
                when
                    ScimUser( displayName != null, Integer.parseInt(displayName) > 0 )
                then
                    insert(new Violation("displayName", "a number"));
                end
                """, """
                "Display names are numbers":
                  allowed: [{name: no display name, user: {userName: jane@acme.com}}]
                  disallowed: [{name: a word, user: {userName: jane@acme.com, displayName: Jane}, expect: [CANDIDATE_NUMBERS]}]
                """);

        assertThat(answer.statusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("title").asText()).isEqualTo("Candidate ruleset refused");
        assertThat(problem.at("/errors/0/rule").asText()).isEqualTo("Display names are numbers");
        assertThat(problem.at("/errors/0/message").asText()).startsWith("disallowed example \"a word\" failed: the rules "
                + "failed on it (java.lang.NumberFormatException), so the live path would refuse such a user with "
                + "POLICY_EVALUATION_FAILED (the rule is at ");
    }

    @Test
    @Timeout(120) // a guard against a hang, not a speed target
    void aCandidateThatSpinsForEveryPastUserHoldsNoMoreThanTheBound() throws Exception {
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                most.accumulateAndGet(engine.evaluationsStillRunning(), Math::max);
                Thread.onSpinWait();
            }
        });
        watcher.start();
        HttpResponse<String> answer;
        try {
            // Spins (in code the operator allowed) for each of the history's loop- users, until the test releases it.
            answer = impact("""
                    package candidate;
                    import org.scimgate.scim.ScimUser;
                    import org.scimgate.policy.Violation;
                    function boolean slow(String s) {
                        return org.scimgate.support.SlowRules.spinWhile(s, "loop-", 120) || s.startsWith("slow-");
                    }
                    rule "Slow names"
                        @code("CANDIDATE_SLOW") @severity("low") @mode("dryrun")
                    when
                        ScimUser( userName != null, slow(userName) )
                    then
                        insert(new Violation("userName", "slow"));
                    end
                    """, """
                    "Slow names":
                      allowed: [{name: anyone, user: {userName: jane@acme.com}}]
                      disallowed: [{name: a slow name, user: {userName: slow-1@acme.com}, expect: [CANDIDATE_SLOW]}]
                    """);
            most.accumulateAndGet(engine.evaluationsStillRunning(), Math::max);
        } finally {
            watching.set(false);
            watcher.join();
            SlowRules.releaseAll();
        }

        assertThat(most.get()).as("evaluations left spinning by one impact request")
                .isLessThanOrEqualTo(PolicyEngine.MAX_STILL_RUNNING);
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(answer.body()).get("detail").asText()).contains("the replay stopped");
        CutOffEvaluations.awaitNoneRunning();
    }
}
