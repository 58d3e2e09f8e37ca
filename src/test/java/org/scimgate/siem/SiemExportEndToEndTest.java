package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.scimgate.support.WholeServiceTest;

/**
 * The whole path with the scheduled relay running: webhook answers while the SIEM is down, the
 * SIEM comes back, and every answered decision arrives; duplicates only ever repeat a decision id.
 */
@WholeServiceTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SiemExportEndToEndTest {

    private static final LoopbackServer SIEM = start();
    private static final AtomicBoolean UP = new AtomicBoolean(false);
    private static final Set<String> RECEIVED = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    ObjectMapper json;

    private static LoopbackServer start() {
        try {
            LoopbackServer server = new LoopbackServer();
            server.respond(request -> {
                if (!UP.get()) {
                    return Response.of(503, "{}");
                }
                for (JsonNode record : JSON.readTree(request.body())) {
                    RECEIVED.add(record.get("decisionId").asText());
                }
                return Response.of(200, "{}");
            });
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.Database database = TestPostgres.newDatabase();
        database.register(registry);
        registry.add("scimgate.siem.relay-enabled", () -> "true");
        registry.add("scimgate.siem.endpoint", () -> SIEM.uri().toString());
        registry.add("scimgate.siem.format", () -> "json");
        registry.add("scimgate.siem.poll-interval", () -> "100ms");
        registry.add("scimgate.siem.backoff", () -> "200ms");
        registry.add("scimgate.siem.max-backoff", () -> "1s");
        // With a 1 s backoff, twelve attempts (the default) are spent in about ten seconds of outage
        // on a slow machine, and a record would go DEAD: this test is about coming back, not dying.
        registry.add("scimgate.siem.max-attempts", () -> "1000");
        registry.add("resilience4j.circuitbreaker.instances.siem.wait-duration-in-open-state", () -> "500ms");
    }

    @AfterAll
    static void stop() {
        SIEM.close();
    }

    @Test
    void everyAnsweredDecisionReachesTheSiemOnceItComesBack() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String domain = i % 2 == 0 ? "acme.com" : "evil.com";
            var response = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/webhook/scim-validation"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", TestCredentials.WEBHOOK)
                    .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                            {"eventType":"user.created","data":{"userName":"e2e%d@%s","emails":[{"value":"e2e%d@%s","primary":true}]}}"""
                            .formatted(i, domain, i, domain))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isIn(200, 400);
            answered.add(json.readTree(response.body()).get("decisionId").asText());
        }
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> SIEM.requests().size() > 0 && RECEIVED.isEmpty());

        UP.set(true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(RECEIVED).containsAll(answered));
    }
}
