package org.scimgate.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestRules;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The shadow ruleset on a running service: its verdicts are stored, returned, counted and sent to
 * the SIEM, never enforced; and one candidate gives the same five flips by replay (command line and
 * API) and as a shadow of the live traffic.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ShadowRulesetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path live;
    private static Path shadow;
    private static Path siemFile;
    private static TestPostgres.Database database;

    /** Refuses everyone but "nobody": a shadow that would refuse every real user. */
    static final String REFUSE_ALL_DRL = """
            package refuse;
            import org.scimgate.scim.ScimUser;
            import org.scimgate.policy.Violation;
            rule "Nobody may be provisioned"
                @code("TRIAL_REFUSES_EVERYONE")
                @severity("high")
                @mode("enforce")
            when
                ScimUser( userName != "nobody" )
            then
                insert(new Violation("userName", "Nobody is provisioned during the trial."));
            end
            """;
    static final String REFUSE_ALL_EXAMPLES = """
            "Nobody may be provisioned":
              allowed:
                - name: nobody
                  user: {userName: nobody, emails: [{value: nobody@acme.com, primary: true}]}
              disallowed:
                - name: anybody
                  user: {userName: jane, emails: [{value: jane@acme.com, primary: true}]}
                  expect: [TRIAL_REFUSES_EVERYONE]
            """;
    /** Throws for the one user "boom@acme.com" without a numeric display name: its examples pass. */
    static final String THROWS_DRL = """
            package boom;
            import org.scimgate.scim.ScimUser;
            import org.scimgate.policy.Violation;
            rule "Display names of boom are numbers"
                @code("TRIAL_BOOM")
                @severity("low")
                @mode("warn")
            when
                ScimUser( userName == "boom@acme.com", Integer.parseInt(displayName) > 0 )
            then
                insert(new Violation("displayName", "boom"));
            end
            """;
    static final String THROWS_EXAMPLES = """
            "Display names of boom are numbers":
              allowed:
                - name: another user
                  user: {userName: jane, emails: [{value: jane@acme.com, primary: true}]}
              disallowed:
                - name: boom with a number
                  user: {userName: boom@acme.com, displayName: "5", emails: [{value: boom@acme.com, primary: true}]}
                  expect: [TRIAL_BOOM]
            """;

    @Autowired
    MockMvc mvc;
    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        live = TestRules.copyOfShippedRules("scimgate-shadow-live");
        shadow = TestRules.copyOfShippedRules("scimgate-shadow-candidate");
        Files.writeString(shadow.resolve("reference-data.yaml"), widened());
        siemFile = Files.createTempDirectory("scimgate-shadow-siem").resolve("decisions.ndjson");
        database = TestPostgres.newDatabase();
        database.register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.policy.rules-dir", live::toString);
        registry.add("scimgate.policy.shadow-rules-dir", shadow::toString);
        registry.add("scimgate.policy.watch", () -> "false");
        registry.add("scimgate.siem.relay-enabled", () -> "true");
        registry.add("scimgate.siem.format", () -> "file");
        registry.add("scimgate.siem.file", siemFile::toString);
    }

    @Test
    void theThreeViewsAgreeOnACandidateThatFlipsFivePastDecisions() throws Exception {
        useShadow(Map.of("reference-data.yaml", widened()), List.of());
        Instant from = Instant.now().minusMillis(1);
        double divergedBefore = divergences("REJECTED", "ACCEPTED");
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            refused.add(webhook(user("research" + i, "Research", null), 400).path("decisionId").asText());
        }
        String accepted = webhook(user("eng0", "Engineering", null), 200).path("decisionId").asText();
        webhook(user("eng1", "Engineering", null), 200);
        webhook(user("eng2", "Engineering", "Eng Two"), 200);

        // 1. The command line replays the candidate over the history.
        Path candidate = Files.createTempDirectory("scimgate-shadow-replay");
        TestRules.copy(shadow, candidate);
        ReplayCli.Run cli = replay("--rules", candidate.toString(), "--from", from.toString(), "--format", "json");
        assertThat(cli.exit()).as(cli.err()).isZero();
        JsonNode byCli = JSON.readTree(cli.out());
        // 2. The API replays the same files laid over the live rules.
        JsonNode byApi = JSON.readTree(mvc.perform(post("/api/v1/policy/impact")
                        .header("Authorization", TestCredentials.ANALYST).contentType(MediaType.APPLICATION_JSON)
                        .content(JSON.writeValueAsString(Map.of("from", from.toString(),
                                "files", Map.of("reference-data.yaml", widened())))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        // 3. The shadow judged the same requests live.
        JsonNode byShadow = shadowSummary("from=" + from);

        for (JsonNode view : List.of(byCli, byApi, byShadow)) {
            assertThat(view.path("evaluated").asLong()).isEqualTo(8);
            assertThat(view.path("changed").asLong()).isEqualTo(5);
            assertThat(view.path("codesChanged").asLong()).isZero();
            assertThat(view.path("transitions").path("REJECTED -> ACCEPTED").asLong()).isEqualTo(5);
            assertThat(view.path("byRule").path("POLICY_DEPARTMENT_DENIED").path("noLongerFires").asLong())
                    .isEqualTo(5);
            assertThat(view.path("byRule").path("POLICY_DEPARTMENT_DENIED").path("nowFires").asLong()).isZero();
            assertThat(view.path("changes").findValuesAsText("decisionId")).containsExactlyInAnyOrderElementsOf(refused);
        }
        String candidateVersion = byCli.path("candidateVersion").asText();
        assertThat(byApi.path("candidateVersion").asText()).isEqualTo(candidateVersion);
        assertThat(byShadow.path("shadowVersions").path(candidateVersion).asLong()).isEqualTo(8);
        assertThat(byShadow.path("shadow").path("version").asText()).isEqualTo(candidateVersion);
        assertThat(divergences("REJECTED", "ACCEPTED") - divergedBefore).isEqualTo(5);

        // The decisions API returns the shadow's verdict beside the live one.
        JsonNode one = decision(refused.get(0));
        assertThat(one.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(one.path("shadow").path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(one.path("shadow").path("rulesetVersion").asText()).isEqualTo(candidateVersion);
        assertThat(one.path("shadow").path("codes")).isEmpty();
        JsonNode agreed = decision(accepted);
        assertThat(agreed.path("shadow").path("outcome").asText()).isEqualTo(agreed.path("outcome").asText());
        JsonNode page = JSON.readTree(mvc.perform(get("/api/v1/decisions?userName=research0@acme.com")
                .header("Authorization", TestCredentials.ANALYST)).andReturn().getResponse().getContentAsString());
        assertThat(page.path("items").get(0).path("shadow").path("outcome").asText()).isEqualTo("ACCEPTED");

        // The SIEM gets it too.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> siemRecord(refused.get(0)) != null);
        JsonNode exported = siemRecord(refused.get(0));
        assertThat(exported.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(exported.path("shadow").path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(exported.path("shadow").path("rulesetVersion").asText()).isEqualTo(candidateVersion);
    }

    @Test
    void aShadowThatRefusesEveryoneOrThrowsIsNeverEnforced() throws Exception {
        useShadow(Map.of("refuse/refuse.drl", REFUSE_ALL_DRL, "refuse/examples.yaml", REFUSE_ALL_EXAMPLES,
                "boom/boom.drl", THROWS_DRL, "boom/examples.yaml", THROWS_EXAMPLES), List.of());
        JsonNode answer = webhook(user("kept", "Engineering", null), 200);
        assertThat(answer.path("status").asText()).isEqualTo("ACCEPTED");
        JsonNode row = decision(answer.path("decisionId").asText());
        assertThat(row.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(row.path("shadow").path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(row.path("shadow").path("codes").toString()).contains("TRIAL_REFUSES_EVERYONE");

        // A shadow rule that throws for a user: the live answer stands, the shadow "refuses" as live would.
        String boom = "{\"eventType\":\"user.created\",\"data\":{\"userName\":\"boom@acme.com\",\"emails\":"
                + "[{\"value\":\"boom@acme.com\",\"primary\":true}],\"department\":\"Engineering\",\"costCenter\":\"CC-1234\"}}";
        JsonNode boomAnswer = webhook(boom, 200);
        JsonNode boomRow = decision(boomAnswer.path("decisionId").asText());
        assertThat(boomRow.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(boomRow.path("shadow").path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(boomRow.path("shadow").path("codes").toString()).contains("POLICY_EVALUATION_FAILED");
    }

    @Test
    void aRefusedShadowReloadKeepsThePreviousShadowAndIsReported() throws Exception {
        String version = useShadow(Map.of("reference-data.yaml", widened()), List.of());
        String broken = "package organization;\nimport org.scimgate.scim.ScimUser;\n\nrule \"Broken\"\nwhen\n"
                + "    ScimUser( department == )\nthen\nend\n";
        Files.writeString(shadow.resolve("organization/organization.drl"), broken);
        reload();
        JsonNode ruleset = JSON.readTree(mvc.perform(get("/api/v1/ruleset").header("Authorization",
                TestCredentials.ANALYST)).andReturn().getResponse().getContentAsString());
        assertThat(ruleset.path("shadow").path("version").asText()).isEqualTo(version);
        assertThat(ruleset.path("shadow").path("lastRejectedReload").path("errors").toString())
                .contains("organization/organization.drl:");
        assertThat(ruleset.path("lastRejectedReload").isNull()).as("the live rules were not refused").isTrue();

        JsonNode row = decision(webhook(user("after", "Research", null), 400).path("decisionId").asText());
        assertThat(row.path("shadow").path("rulesetVersion").asText()).isEqualTo(version);
        assertThat(shadowSummary("since=1h").path("shadow").path("lastRejectedReload").path("errors")).isNotEmpty();
        Files.copy(live.resolve("organization/organization.drl"), shadow.resolve("organization/organization.drl"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theShadowSummaryNeedsAnAnalystAndAReadableWindow() throws Exception {
        mvc.perform(get("/api/v1/policy/shadow")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/policy/shadow").header("Authorization", TestCredentials.WEBHOOK))
                .andExpect(status().isUnauthorized());
        for (String query : List.of("since=", "since=-3d", "since=x", "since=99999999999999d", "since=7d&from=2026-01-01",
                "from=not-a-date", "from=2026-02-01&to=2026-01-01", "to=2026-01-01", "since=P1000000000000D")) {
            int status = mvc.perform(get("/api/v1/policy/shadow?" + query).header("Authorization",
                    TestCredentials.ANALYST)).andReturn().getResponse().getStatus();
            assertThat(status).as(query).isIn(200, 400);
        }
        mvc.perform(get("/api/v1/policy/shadow?since=x").header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/policy/shadow?from=1900-01-01&to=1950-01-01").header("Authorization",
                TestCredentials.ANALYST)).andExpect(status().isBadRequest());
    }

    /** Writes {@code files} over a fresh copy of the live rules as the shadow, reloads, returns its version. */
    private String useShadow(Map<String, String> files, List<String> deleted) throws Exception {
        try (Stream<Path> old = Files.walk(shadow)) {
            old.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(shadow)).forEach(p -> p.toFile().delete());
        }
        TestRules.copy(live, shadow);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.createDirectories(shadow.resolve(file.getKey()).getParent());
            Files.writeString(shadow.resolve(file.getKey()), file.getValue());
        }
        for (String name : deleted) {
            Files.delete(shadow.resolve(name));
        }
        reload();
        JsonNode ruleset = JSON.readTree(mvc.perform(get("/api/v1/ruleset").header("Authorization",
                TestCredentials.ANALYST)).andReturn().getResponse().getContentAsString());
        return ruleset.path("shadow").path("version").asText();
    }

    private void reload() throws Exception {
        mvc.perform(post("/api/v1/ruleset/reload").header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isOk());
    }

    private double divergences(String live, String shadowOutcome) {
        Counter counter = meters.find("scimgate.policy.shadow.divergences").tags("live", live, "shadow", shadowOutcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private JsonNode shadowSummary(String query) throws Exception {
        return JSON.readTree(mvc.perform(get("/api/v1/policy/shadow?" + query)
                        .header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private JsonNode decision(String id) throws Exception {
        return JSON.readTree(mvc.perform(get("/api/v1/decisions/" + id).header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private static JsonNode siemRecord(String decisionId) throws IOException {
        if (!Files.exists(siemFile)) {
            return null;
        }
        for (String line : Files.readAllLines(siemFile)) {
            if (line.contains(decisionId)) {
                JsonNode record = JSON.readTree(line);
                if (decisionId.equals(record.path("decisionId").asText())) {
                    return record;
                }
            }
        }
        return null;
    }

    private JsonNode webhook(String body, int expected) throws Exception {
        return JSON.readTree(mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK)
                        .header("x-genesys-webhook-id", "shadow-" + UUID.randomUUID())
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().is(expected)).andReturn().getResponse().getContentAsString());
    }

    private static String user(String name, String department, String displayName) {
        return "{\"eventType\":\"user.created\",\"eventTimestamp\":\"2026-11-30T10:00:00Z\",\"data\":"
                + "{\"userName\":\"" + name + "@acme.com\",\"emails\":[{\"value\":\"" + name
                + "@acme.com\",\"primary\":true}],\"department\":\"" + department + "\",\"costCenter\":\"CC-1234\""
                + (displayName == null ? "" : ",\"displayName\":\"" + displayName + "\"") + "}}";
    }

    private static String widened() throws IOException {
        return Files.readString(Path.of("rules/reference-data.yaml"))
                .replace("    - Finance\n", "    - Finance\n    - Research\n");
    }


    private static ReplayCli.Run replay(String... args) {
        return ReplayCli.replay(database, args);
    }
}
