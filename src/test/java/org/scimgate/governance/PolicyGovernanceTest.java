package org.scimgate.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.scimgate.audit.AuditChain;
import org.scimgate.audit.AuditCommand;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestRules;
import org.scimgate.support.TestService;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The governance workflow on a service of its own, over loopback HTTP, with two named analysts:
 * the live ruleset's files come back from the archive, a proposal is refused to its author and goes
 * live when the second analyst approves it, the new version names both, a decision made before the
 * change is explained by its own ruleset, a stale proposal is refused, and a kept file changed by
 * the database's superuser is reported by the audit verification.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyGovernanceTest {

    static final String ALICE = "Bearer alice-key-5f0c2a9e7d41b3";
    static final String BOB = "Bearer bob-key-8e3d1c7a0b92f6";
    static final String CHANGED_FILE = "identity/identity.drl";
    static final String ADDED = "\n// Reviewed: the provisioned domains stay in reference-data.yaml.\n";

    static TestPostgres.Database database;
    static ConfigurableApplicationContext service;
    static Path rules;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static String startVersion;
    static String approvedVersion;
    static UUID decisionBefore;
    static UUID stale;

    @BeforeAll
    static void start() throws Exception {
        database = TestPostgres.newDatabase();
        rules = TestRules.copyOfShippedRules("governance-rules");
        Path keys = Files.createTempFile("api-keys", "");
        Files.writeString(keys, "alice analyst " + ALICE.substring(7) + "\nbob analyst " + BOB.substring(7) + "\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        service = TestService.start(database, "--scimgate.policy.rules-dir=" + rules,
                "--scimgate.security.api-keys-file=" + keys);
    }

    @AfterAll
    static void stop() throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/governance-workflow.txt"), TRANSCRIPT);
        if (service != null) {
            service.close();
        }
    }

    /** The calls and answers of the workflow, kept in target/ for the governance page's example. */
    static final StringBuilder TRANSCRIPT = new StringBuilder();

    static HttpResponse<String> call(String method, String path, String auth, Object body) throws Exception {
        HttpResponse<String> response = send(method, path, auth, body);
        TRANSCRIPT.append("$ ").append(method).append(' ').append(path).append("   # as ")
                .append(auth.equals(ALICE) ? "alice" : auth.equals(BOB) ? "bob" : "operator").append('\n');
        if (body != null) {
            TRANSCRIPT.append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body)).append('\n');
        }
        TRANSCRIPT.append("HTTP ").append(response.statusCode()).append('\n').append(response.body()).append("\n\n");
        return response;
    }

    static HttpResponse<String> send(String method, String path, String auth, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(TestService.uri(service, path)).header("Authorization", auth)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    @Test
    @Order(1)
    void theLiveRulesetsFilesComeBackFromTheArchive() throws Exception {
        startVersion = ok(call("GET", "/api/v1/ruleset", ALICE, null), 200).get("version").asText();
        JsonNode versions = ok(call("GET", "/api/v1/rulesets", ALICE, null), 200).get("versions");
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).get("version").asText()).isEqualTo(startVersion);
        assertThat(versions.get(0).at("/provenance/cause").asText()).isEqualTo("start-up");
        JsonNode kept = ok(call("GET", "/api/v1/rulesets/" + startVersion, ALICE, null), 200);
        assertThat(kept.get("files")).extracting(f -> f.get("path").asText()).containsExactlyInAnyOrder(
                "reference-data.yaml", "access/access.drl", "access/examples.yaml", "identity/identity.drl", "identity/examples.yaml",
                "organization/organization.drl", "organization/prefix-by-department.drl.csv", "organization/examples.yaml");
        for (JsonNode file : kept.get("files")) {
            assertThat(file.get("content").asText()).as(file.get("path").asText())
                    .isEqualTo(Files.readString(rules.resolve(file.get("path").asText())));
        }
        assertThat(call("GET", "/api/v1/rulesets/0000000000000000", ALICE, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aProposalIsRefusedToItsAuthorAndGoesLiveWhenASecondAnalystApproves() throws Exception {
        HttpResponse<String> decided = HTTP.send(HttpRequest.newBuilder(TestService.uri(service, "/webhook/scim-validation"))
                .header("Authorization", TestCredentials.WEBHOOK).header("Content-Type", "application/json")
                .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"eventType":"user.created","data":{"userName":"mallory@evil.example",
                         "emails":[{"value":"mallory@evil.example","primary":true}]}}""")).build(),
                HttpResponse.BodyHandlers.ofString());
        decisionBefore = UUID.fromString(JSON.readTree(decided.body()).get("decisionId").asText());

        String drl = Files.readString(rules.resolve(CHANGED_FILE)) + ADDED;
        Map<String, Object> change = Map.of("note", "Say where the domains live", "since", "1d",
                "files", Map.of(CHANGED_FILE, drl));
        JsonNode proposal = ok(call("POST", "/api/v1/policy/proposals", ALICE, change), 201);
        assertThat(proposal.get("author").asText()).isEqualTo("alice");
        assertThat(proposal.get("status").asText()).isEqualTo("open");
        assertThat(proposal.get("baseVersion").asText()).isEqualTo(startVersion);
        assertThat(proposal.at("/impact/evaluated").asLong()).as("the impact report over the chosen period").isPositive();
        stale = UUID.fromString(ok(call("POST", "/api/v1/policy/proposals", BOB, Map.of("note", "another change",
                "files", Map.of(CHANGED_FILE, drl + "// and another\n"))), 201).get("id").asText());
        String id = proposal.get("id").asText();

        HttpResponse<String> own = call("POST", "/api/v1/policy/proposals/" + id + "/approve", ALICE, null);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(403);
        assertThat(own.body()).contains("another person must approve it");
        assertThat(ok(call("GET", "/api/v1/ruleset", ALICE, null), 200).get("version").asText())
                .as("nothing went live on the author's own approval").isEqualTo(startVersion);

        JsonNode approved = ok(call("POST", "/api/v1/policy/proposals/" + id + "/approve", BOB, null), 200);
        assertThat(approved.get("status").asText()).isEqualTo("live");
        approvedVersion = approved.get("candidateVersion").asText();
        assertThat(ok(call("GET", "/api/v1/ruleset", ALICE, null), 200).get("version").asText()).isEqualTo(approvedVersion);
        assertThat(Files.readString(rules.resolve(CHANGED_FILE))).endsWith(ADDED);
        assertThat(call("POST", "/api/v1/policy/proposals/" + id + "/approve", BOB, null).statusCode())
                .as("approved once").isEqualTo(409);
    }

    @Test
    @Order(3)
    void theNewVersionNamesBothPeopleAndTheOldOneHasEnded() throws Exception {
        JsonNode versions = ok(call("GET", "/api/v1/rulesets", ALICE, null), 200).get("versions");
        assertThat(versions).hasSize(2);
        JsonNode newest = versions.get(0);
        assertThat(newest.get("version").asText()).isEqualTo(approvedVersion);
        assertThat(newest.at("/provenance/cause").asText()).isEqualTo("proposal");
        assertThat(newest.at("/provenance/author").asText()).isEqualTo("alice");
        assertThat(newest.at("/provenance/approver").asText()).isEqualTo("bob");
        assertThat(newest.get("liveUntil").isNull()).isTrue();
        assertThat(versions.get(1).get("liveUntil").asText()).isEqualTo(newest.get("liveFrom").asText());

        JsonNode diff = ok(call("GET", "/api/v1/rulesets/" + startVersion + "/diff/" + approvedVersion, ALICE, null), 200);
        assertThat(diff.get("files")).hasSize(1);
        assertThat(diff.at("/files/0/path").asText()).isEqualTo(CHANGED_FILE);
        assertThat(diff.at("/files/0/diff").asText()).contains("+// Reviewed: the provisioned domains stay");
    }

    @Test
    @Order(4)
    void aDecisionMadeBeforeTheChangeIsExplainedByItsOwnRuleset() throws Exception {
        JsonNode explained = ok(call("GET", "/api/v1/decisions/" + decisionBefore + "/explain", ALICE, null), 200);
        assertThat(explained.get("rulesetVersion").asText()).isEqualTo(startVersion);
        assertThat(explained.get("recordedOutcome").asText()).isEqualTo("REJECTED");
        assertThat(explained.get("verdict").asText()).isEqualTo("REJECTED");
        assertThat(explained.get("same").asBoolean()).isTrue();
        assertThat(explained.get("codes")).extracting(JsonNode::asText).contains("SCIM_INVALID_EMAIL_DOMAIN");
        assertThat(explained.get("firedRules")).anySatisfy(rule -> {
            assertThat(rule.get("name").asText()).isEqualTo("Primary email domain must be provisioned");
            assertThat(rule.get("text").asText()).startsWith("rule \"Primary email domain must be provisioned\"")
                    .endsWith("end");
        });
        assertThat(explained.get("payloadNote").asText()).contains("password");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Explanation.print(service.getBean(org.scimgate.audit.DecisionQuery.class),
                service.getBean(org.scimgate.audit.RulesetArchive.class),
                new org.scimgate.policy.RulesetCompiler(java.time.Clock.systemUTC(),
                        org.scimgate.policy.RuleCapabilities.of(java.util.List.of()), java.time.Duration.ofSeconds(30)),
                decisionBefore,
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        TRANSCRIPT.append("$ java -jar target/scimgate.jar audit explain ").append(decisionBefore).append('\n')
                .append(out.toString(StandardCharsets.UTF_8)).append('\n');
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("made by ruleset " + startVersion, "same: true",
                "rule \"Primary email domain must be provisioned\"");
    }

    @Test
    @Order(5)
    void aProposalBasedOnAnOlderVersionIsRefusedAsStaleAndCanBeRejectedWithAReason() throws Exception {
        HttpResponse<String> refused = call("POST", "/api/v1/policy/proposals/" + stale + "/approve", ALICE, null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("stale");
        assertThat(ok(call("GET", "/api/v1/ruleset", ALICE, null), 200).get("version").asText()).isEqualTo(approvedVersion);
        assertThat(call("POST", "/api/v1/policy/proposals/" + stale + "/withdraw", ALICE, Map.of("reason", "not mine"))
                .statusCode()).as("only the author withdraws").isEqualTo(403);
        assertThat(call("POST", "/api/v1/policy/proposals/" + stale + "/reject", ALICE, Map.of()).statusCode())
                .as("a rejection says why").isEqualTo(400);
        JsonNode rejected = ok(call("POST", "/api/v1/policy/proposals/" + stale + "/reject", ALICE,
                Map.of("reason", "superseded")), 200);
        assertThat(rejected.get("status").asText()).isEqualTo("rejected");
        assertThat(rejected.get("events")).extracting(e -> e.get("event").asText() + " by " + e.get("actor").asText())
                .containsExactly("proposed by bob", "rejected by alice");

        ProposalExport export = service.getBean(ProposalExport.class);
        assertThat(export.export()).as("proposed twice, approved, live, rejected").isEqualTo(5);
        assertThat(export.export()).as("each step is sent once it is taken").isZero();
        Path siem = Path.of(System.getProperty("java.io.tmpdir"), "scimgate-test-siem.ndjson");
        assertThat(Files.readAllLines(siem)).filteredOn(line -> line.contains(stale.toString()))
                .anySatisfy(line -> assertThat(line).contains("\"type\":\"policy-change\"", "\"event\":\"rejected\"",
                        "\"actor\":\"alice\"", "\"reason\":\"superseded\""));
    }

    @Test
    @Order(6)
    void aKeptFileChangedByTheDatabaseSuperuserIsReportedByTheAuditVerification() throws Exception {
        JsonNode intact = ok(call("GET", "/api/v1/audit/verify", TestCredentials.OPERATOR, null), 200);
        assertThat(intact.at("/rulesets/versionsChecked").asLong()).isEqualTo(2);
        try (Connection c = DriverManager.getConnection(database.url(), database.username(), database.password());
             Statement sql = c.createStatement()) {
            sql.execute("ALTER TABLE kept_ruleset_file DISABLE TRIGGER kept_ruleset_file_no_update_delete");
            sql.execute("UPDATE kept_ruleset_file SET content = convert_to(replace(convert_from(content, 'UTF8'), "
                    + "'\"SCIM_INVALID_EMAIL_DOMAIN\"', '\"SCIM_OK\"'), 'UTF8') "
                    + "WHERE convert_from(content, 'UTF8') LIKE '%rule \"Primary email domain must be provisioned\"%'");
            sql.execute("ALTER TABLE kept_ruleset_file ENABLE TRIGGER kept_ruleset_file_no_update_delete");
        }
        HttpResponse<String> broken = call("GET", "/api/v1/audit/verify", TestCredentials.OPERATOR, null);
        assertThat(broken.statusCode()).isEqualTo(409);
        JsonNode problems = JSON.readTree(broken.body()).at("/rulesets/problems");
        assertThat(problems).isNotEmpty();
        assertThat(problems.get(0).asText()).contains("was changed after it was kept");
        assertThat(JSON.readTree(broken.body()).get("sealingChanged")).as("the trigger is back: only the file tells").isEmpty();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AuditCommand.verify(service.getBean(AuditChain.class), new PrintStream(out), new PrintStream(err));
        TRANSCRIPT.append("$ java -jar target/scimgate.jar audit verify\n").append(err.toString(StandardCharsets.UTF_8))
                .append('\n');
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("RULESET CHANGED: stored ruleset file");
    }
}
