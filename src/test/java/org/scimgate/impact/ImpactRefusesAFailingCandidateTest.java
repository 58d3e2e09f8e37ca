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
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestRules;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /api/v1/policy/impact} over real HTTP: a candidate whose example throws is refused
 * 422 like any failing example.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ImpactRefusesAFailingCandidateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path live = TestRules.copyOfShippedRules("scimgate-impact-refused");
        TestPostgres.newDatabase().register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.policy.rules-dir", live::toString);
        registry.add("scimgate.policy.watch", () -> "false");
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> live.resolveSibling(live.getFileName() + "-siem.ndjson").toString());
    }

    private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization).header("Content-Type", "application/json")
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
}
