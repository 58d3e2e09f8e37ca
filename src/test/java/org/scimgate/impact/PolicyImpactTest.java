package org.scimgate.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scimgate.audit.DecisionLog;
import org.scimgate.audit.DecisionRecord;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestRules;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Replay of a history recorded through the real webhook (and one gateway decision), by the
 * command line against the test's PostgreSQL and by the API on the running service: both see the
 * same changes for the same candidate.
 */
@SpringBootTest
@AutoConfigureMockMvc
class PolicyImpactTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path live;
    private static TestPostgres.Database database;
    private static boolean recorded;

    /** A dry-run rule of the test's live rules: it fires for the one user with a display name. */
    static final String AUDIT_DRL = """
            package audit;
            import org.scimgate.scim.ScimUser;
            import org.scimgate.policy.Violation;
            rule "Display names are noted"
                @code("AUDIT_DISPLAY_NAME_SEEN")
                @severity("low")
                @mode("dryrun")
            when
                ScimUser( displayName != null )
            then
                insert(new Violation("displayName", "A display name was sent."));
            end
            """;
    static final String AUDIT_EXAMPLES = """
            "Display names are noted":
              allowed:
                - name: no display name
                  user: {userName: jane, emails: [{value: jane@acme.com, primary: true}]}
              disallowed:
                - name: a display name
                  user: {userName: jane, displayName: Jane, emails: [{value: jane@acme.com, primary: true}]}
                  expect: [AUDIT_DISPLAY_NAME_SEEN]
            """;
    static final String NAMING_DRL = """
            package naming;
            import org.scimgate.scim.ScimUser;
            import org.scimgate.policy.Violation;
            rule "Engineering accounts need a display name"
                @code("POLICY_DISPLAY_NAME_REQUIRED")
                @severity("low")
                @mode("enforce")
            when
                ScimUser( department == "Engineering", costCenter == "CC-1234", displayName == null )
            then
                insert(new Violation("displayName", "A display name is required."));
            end
            """;
    static final String NAMING_EXAMPLES = """
            "Engineering accounts need a display name":
              allowed:
                - name: a display name
                  user: {userName: jane, displayName: Jane, department: Engineering, costCenter: CC-1234, emails: [{value: jane@acme.com, primary: true}]}
              disallowed:
                - name: no display name
                  user: {userName: jane, department: Engineering, costCenter: CC-1234, emails: [{value: jane@acme.com, primary: true}]}
                  expect: [POLICY_DISPLAY_NAME_REQUIRED]
            """;

    @Autowired
    MockMvc mvc;
    @Autowired
    DecisionLog log;
    @Autowired
    org.scimgate.policy.PolicyEngine engine;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        live = TestRules.copyOfShippedRules("scimgate-impact-live");
        Files.createDirectories(live.resolve("audit"));
        Files.writeString(live.resolve("audit/audit.drl"), AUDIT_DRL);
        Files.writeString(live.resolve("audit/examples.yaml"), AUDIT_EXAMPLES);
        database = TestPostgres.newDatabase();
        database.register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.policy.rules-dir", live::toString);
        registry.add("scimgate.policy.watch", () -> "false");
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> live.resolveSibling(live.getFileName() + "-siem.ndjson").toString());
    }

    /**
     * Five users refused for their department, three accepted (one with a display name), one
     * malformed and one ignored event through the webhook; one refusal through the gateway.
     */
    @BeforeEach
    void recordHistory() throws Exception {
        if (recorded) {
            return;
        }
        recorded = true;
        for (int i = 0; i < 5; i++) {
            webhook(user("research" + i, "Research", null), 400);
        }
        webhook(user("eng0", "Engineering", null), 200);
        webhook(user("eng1", "Engineering", null), 200);
        webhook(user("eng2", "Engineering", "Eng Two"), 200);
        webhook("{\"eventType\":\"user.created\",\"data\":{\"userName\":42}}", 400);
        webhook("{\"eventType\":\"user.updated\",\"data\":{\"userName\":\"x@acme.com\"}}", 200);
        UUID id = UUID.randomUUID();
        log.record(new DecisionRecord(id, Instant.now(), "gateway", "scim.POST", null, null, "gateway:" + id, null,
                "gw@acme.com", "REJECTED", 400, List.of(new DecisionRecord.AuditedViolation("department",
                "POLICY_DEPARTMENT_DENIED", "Department Research is not in the approved list.", "medium", "enforce",
                "Department must be on the approved list")), List.of(), "v-gateway", null, "refused",
                JSON.readTree(userJson("gw", "Research", null)), "{}", "POST /Users", null));
    }

    @Test
    void widenedReferenceListFlipsTheRejectionsToAccepted() throws Exception {
        Path candidate = candidate(Map.of("reference-data.yaml", widened()));
        ReplayCli.Run run = replay("--rules", candidate.toString(), "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.path("evaluated").asLong()).isEqualTo(9);
        assertThat(report.path("changed").asLong()).isEqualTo(6);
        assertThat(report.path("transitions").path("REJECTED -> ACCEPTED").asLong()).isEqualTo(6);
        assertThat(report.path("byRule").path("POLICY_DEPARTMENT_DENIED").path("noLongerFires").asLong()).isEqualTo(6);
        assertThat(report.path("changes")).hasSize(6);
        assertThat(report.path("changes").findValuesAsText("source")).contains("gateway", "webhook");
        assertThat(report.path("changes").findValuesAsText("userName")).contains("gw@acme.com", "research0@acme.com");
        assertThat(report.path("truncated").asBoolean()).isFalse();
        assertThat(report.path("candidateVersion").asText()).isNotBlank();
        assertThat(report.path("liveVersion").asText()).isNotBlank();
        assertThat(report.has("durationMs")).isTrue();

        assertThat(replay("--rules", candidate.toString(), "--fail-on-change").exit()).isEqualTo(ReplayCommand.CHANGED);
    }

    @Test
    void removedRuleNoLongerRefusesAndTheReportSaysWhich() throws Exception {
        Path candidate = candidate(withoutDepartmentRule());
        ReplayCli.Run run = replay("--rules", candidate.toString(), "--format", "markdown");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("**6** change outcome").contains("| REJECTED → ACCEPTED | 6 |")
                .contains("| `POLICY_DEPARTMENT_DENIED` | 0 | 6 |");
    }

    @Test
    void newRuleRefusesUsersItWouldHaveCaught() throws Exception {
        Path candidate = candidate(Map.of("naming/naming.drl", NAMING_DRL, "naming/examples.yaml", NAMING_EXAMPLES));
        ReplayCli.Run run = replay("--rules", candidate.toString(), "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.path("changed").asLong()).isEqualTo(2);
        assertThat(report.path("transitions").path("ACCEPTED -> REJECTED").asLong()).isEqualTo(2);
        assertThat(report.path("codesChanged").asLong()).isZero();
        assertThat(report.path("byRule").path("POLICY_DISPLAY_NAME_REQUIRED").path("nowFires").asLong()).isEqualTo(2);
        assertThat(report.path("changes").findValuesAsText("userName")).containsExactlyInAnyOrder("eng0@acme.com",
                "eng1@acme.com");
        assertThat(report.path("changes").get(0).path("codesAdded").get(0).asText())
                .isEqualTo("POLICY_DISPLAY_NAME_REQUIRED");

        ReplayCli.Run unchanged = replay("--rules", live.toString(), "--fail-on-change");
        assertThat(unchanged.exit()).as(unchanged.out() + unchanged.err()).isZero();
        assertThat(unchanged.out()).contains("0 change outcome, 0 more change violation codes");
    }

    @Test
    void commandLineAndApiReportTheSameForTheSameCandidate() throws Exception {
        ReplayCli.Run cli = replay("--rules", candidate(Map.of("reference-data.yaml", widened())).toString(), "--format", "json");
        JsonNode api = impact(Map.of("since", "30d", "files", Map.of("reference-data.yaml", widened())), 200);
        JsonNode fromCli = JSON.readTree(cli.out());
        for (String field : List.of("evaluated", "changed", "codesChanged", "transitions", "byRule", "candidateVersion")) {
            assertThat(api.path(field)).as(field).isEqualTo(fromCli.path(field));
        }
        assertThat(api.path("changes").findValuesAsText("decisionId"))
                .isEqualTo(fromCli.path("changes").findValuesAsText("decisionId"));
    }

    @Test
    void apiOverlayDeletesAFileGivenAsNull() throws Exception {
        Map<String, String> files = new HashMap<>();
        files.put("audit/audit.drl", null);
        files.put("audit/examples.yaml", null);
        JsonNode report = impact(Map.of("files", files), 200);
        assertThat(report.path("evaluated").asLong()).isEqualTo(9);
        assertThat(report.path("changed").asLong()).isZero();
        assertThat(report.path("codesChanged").asLong()).isEqualTo(1);
        assertThat(report.path("byRule").path("AUDIT_DISPLAY_NAME_SEEN").path("noLongerFires").asLong()).isEqualTo(1);
        assertThat(Files.exists(live.resolve("audit/audit.drl"))).as("the live rules are untouched").isTrue();
    }

    @Test
    void brokenCandidateIsRefusedWith422NamingFileAndLine() throws Exception {
        String broken = "package organization;\nimport org.scimgate.scim.ScimUser;\n\nrule \"Broken\"\nwhen\n"
                + "    ScimUser( department == )\nthen\nend\n";
        mvc.perform(post("/api/v1/policy/impact").header("Authorization", TestCredentials.ANALYST)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(JSON.writeValueAsString(Map.of("files", Map.of("organization/organization.drl", broken)))))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.title").value("Candidate ruleset refused"))
                .andExpect(jsonPath("$.errors[0].file").value("organization/organization.drl"))
                .andExpect(jsonPath("$.errors[0].line").value(6))
                .andExpect(jsonPath("$.errors[0].rule").value("Broken"))
                .andExpect(jsonPath("$.errors.length()").value(1));

        Path candidate = candidate(Map.of("organization/organization.drl", broken));
        ReplayCli.Run run = replay("--rules", candidate.toString());
        assertThat(run.exit()).isEqualTo(ReplayCommand.REFUSED);
        assertThat(run.err()).contains("organization/organization.drl:").contains("Nothing was replayed");
    }

    @Test
    void apiRefusesPathsOutsideTheRulesFilesThatAreNotRulesAndCallersWithoutTheAnalystKey() throws Exception {
        for (String name : List.of("../escape.drl", "/etc/x.drl", "organization/../../x.drl", "notes.txt",
                "organization/Evil.java", ".hidden/x.drl")) {
            mvc.perform(post("/api/v1/policy/impact").header("Authorization", TestCredentials.ANALYST)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(JSON.writeValueAsString(Map.of("files", Map.of(name, "x")))))
                    .andExpect(status().isBadRequest());
        }
        mvc.perform(post("/api/v1/policy/impact").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized());
        mvc.perform(post("/api/v1/policy/impact").header("Authorization", TestCredentials.WEBHOOK)
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isUnauthorized());
    }

    private JsonNode impact(Object body, int expected) throws Exception {
        String answer = mvc.perform(post("/api/v1/policy/impact").header("Authorization", TestCredentials.ANALYST)
                        .contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(body)))
                .andExpect(status().is(expected)).andReturn().getResponse().getContentAsString();
        return JSON.readTree(answer);
    }

    private void webhook(String body, int expected) throws Exception {
        mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK)
                        .header("x-genesys-webhook-id", "impact-" + UUID.randomUUID())
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().is(expected));
    }

    private static String user(String name, String department, String displayName) {
        return "{\"eventType\":\"user.created\",\"eventTimestamp\":\"2026-11-30T10:00:00Z\",\"data\":"
                + userJson(name, department, displayName) + "}";
    }

    private static String userJson(String name, String department, String displayName) {
        return "{\"userName\":\"" + name + "@acme.com\",\"emails\":[{\"value\":\"" + name
                + "@acme.com\",\"primary\":true}],\"department\":\"" + department + "\",\"costCenter\":\"CC-1234\""
                + (displayName == null ? "" : ",\"displayName\":\"" + displayName + "\"") + "}";
    }

    private static String widened() throws IOException {
        return Files.readString(live.resolve("reference-data.yaml"))
                .replace("    - Finance\n", "    - Finance\n    - Research\n");
    }

    private static Map<String, String> withoutDepartmentRule() throws IOException {
        String drl = Files.readString(live.resolve("organization/organization.drl"))
                .replaceAll("(?s)rule \"Department must be on the approved list\".*?\\nend\\n", "");
        String examples = Files.readString(live.resolve("organization/examples.yaml"));
        examples = examples.substring(0, examples.indexOf("\"Department must"))
                + examples.substring(examples.indexOf("\"Cost center must match"));
        return Map.of("organization/organization.drl", drl, "organization/examples.yaml", examples);
    }

    /** A copy of the live rules with {@code files} written over it. */
    private static Path candidate(Map<String, String> files) throws IOException {
        Path dir = Files.createTempDirectory("scimgate-impact-candidate");
        TestRules.copy(live, dir);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.createDirectories(dir.resolve(file.getKey()).getParent());
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        return dir;
    }


    private static ReplayCli.Run replay(String... args) {
        return ReplayCli.replay(database, args);
    }

}
