package org.scimgate.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestRules;
import org.scimgate.support.TestService;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code scimgate.policy.changes=proposals}, an edit of the rules directory made while the
 * service was down does not go live at the next start: the service starts with the last approved
 * ruleset, compiled from its kept files, and reports the refused edit; a restart with no edit starts
 * with the approved ruleset and reports nothing; and when the kept files cannot stand in, the
 * service refuses to start rather than run the unapproved edit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProposalsOnlyRestartTest {

    static final String ALICE = "Bearer alice-key-2b7e9c41d0a3f8";
    static final String BOB = "Bearer bob-key-6d1f0e8a3c57b2";
    static final String OPS = "Bearer ops-key-9a4c2e7f1b06d3";
    /** A user the hand edit would let through: the approved rules refuse the domain. */
    static final String MALLORY = """
            {"userName":"mallory@evil.example","emails":[{"value":"mallory@evil.example","primary":true}]}""";

    static TestPostgres.Database database;
    static Path rules;
    static Path keys;
    static String approvedVersion;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    ConfigurableApplicationContext service;

    @BeforeAll
    static void setUp() throws Exception {
        database = TestPostgres.newDatabase();
        rules = TestRules.copyOfShippedRules("proposals-restart");
        keys = Files.createTempFile("api-keys", "");
        Files.writeString(keys, "alice analyst " + ALICE.substring(7) + "\nbob analyst " + BOB.substring(7)
                + "\nops operator " + OPS.substring(7) + "\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    ConfigurableApplicationContext start() {
        return TestService.start(database, "--scimgate.policy.rules-dir=" + rules,
                "--scimgate.policy.changes=proposals", "--scimgate.security.api-keys-file=" + keys);
    }

    HttpResponse<String> send(String method, String path, String auth, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(TestService.uri(service, path)).header("Authorization", auth)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    JsonNode ruleset() throws Exception {
        return ok(send("GET", "/api/v1/ruleset", ALICE, null));
    }

    JsonNode rulesetHealth() throws Exception {
        return JSON.readTree(send("GET", "/actuator/health/ruleset", OPS, null).body());
    }

    JsonNode mallory() throws Exception {
        return ok(send("POST", "/api/v1/policy/evaluate", ALICE, MALLORY));
    }

    JsonNode keptVersions() throws Exception {
        return ok(send("GET", "/api/v1/rulesets", ALICE, null)).get("versions");
    }

    @Test
    @Order(1)
    void aRulesetApprovedWhileTheServiceRunsGoesLive() throws Exception {
        service = start();
        String startVersion = ruleset().get("version").asText();
        assertThat(keptVersions()).as("the first start-up keeps the files on disk as the baseline").singleElement()
                .satisfies(v -> assertThat(v.at("/provenance/cause").asText()).isEqualTo("start-up"));
        String drl = Files.readString(rules.resolve("identity/identity.drl")) + "\n// Reviewed by two people.\n";
        HttpResponse<String> proposed = send("POST", "/api/v1/policy/proposals", ALICE,
                JSON.writeValueAsString(Map.of("note", "A reviewed note", "since", "1d",
                        "files", Map.of("identity/identity.drl", drl))));
        assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(201);
        JsonNode proposal = JSON.readTree(proposed.body());
        JsonNode approved = ok(send("POST", "/api/v1/policy/proposals/" + proposal.get("id").asText() + "/approve", BOB, null));
        approvedVersion = approved.get("candidateVersion").asText();
        assertThat(approvedVersion).isNotEqualTo(startVersion);
        assertThat(ruleset().get("version").asText()).isEqualTo(approvedVersion);
        assertThat(mallory().get("decision").asText()).isEqualTo("REJECTED");
    }

    @Test
    @Order(2)
    void aRestartWithNoEditStartsWithTheApprovedRulesetAndReportsNothing() throws Exception {
        service = start();
        JsonNode live = ruleset();
        assertThat(live.get("version").asText()).isEqualTo(approvedVersion);
        assertThat(live.get("lastRejectedReload").isNull()).as(live.toString()).isTrue();
        assertThat(rulesetHealth().at("/details/lastRejectedReload").isMissingNode()).isTrue();
        JsonNode versions = keptVersions();
        assertThat(versions).as("a restart keeps no new version").hasSize(2);
        assertThat(versions.get(0).at("/provenance/cause").asText()).isEqualTo("proposal");
    }

    @Test
    @Order(3)
    void anEditMadeWhileTheServiceWasDownIsNotLiveAndIsReported() throws Exception {
        Path referenceData = rules.resolve("reference-data.yaml");
        String approvedText = Files.readString(referenceData);
        Files.writeString(referenceData, approvedText.replace("    - acme-corp.com\n", "    - acme-corp.com\n    - evil.example\n"));
        assertThat(Files.readString(referenceData)).contains("- evil.example");

        service = start();
        JsonNode live = ruleset();
        assertThat(live.get("version").asText()).as("the approved ruleset is live, not the edit").isEqualTo(approvedVersion);
        JsonNode judged = mallory();
        assertThat(judged.get("rulesetVersion").asText()).isEqualTo(approvedVersion);
        assertThat(judged.get("decision").asText()).as("the user the edit would let through is judged by the approved rules")
                .isEqualTo("REJECTED");
        assertThat(live.at("/lastRejectedReload/errors/0").asText()).contains("without an approved proposal")
                .contains(approvedVersion);
        assertThat(rulesetHealth().at("/details/lastRejectedReload/errors/0").asText()).contains("without an approved proposal");
        JsonNode versions = keptVersions();
        assertThat(versions).as("the refused edit is not kept as live").hasSize(2);
        assertThat(versions.get(0).get("version").asText()).isEqualTo(approvedVersion);

        // The edit stays refused once the service is up: the reload gate holds it too.
        ok(send("POST", "/api/v1/ruleset/reload", OPS, null));
        assertThat(ruleset().get("version").asText()).isEqualTo(approvedVersion);
        assertThat(mallory().get("decision").asText()).isEqualTo("REJECTED");

        // Putting the approved files back clears the report.
        Files.writeString(referenceData, approvedText);
        ok(send("POST", "/api/v1/ruleset/reload", OPS, null));
        assertThat(rulesetHealth().at("/details/lastRejectedReload").isMissingNode()).isTrue();
        assertThat(ruleset().get("version").asText()).isEqualTo(approvedVersion);
    }

    @Test
    @Order(4)
    void anApprovalWrittenButNotYetLiveWhenTheServiceStoppedGoesLiveAtStartUpAsThatProposals() throws Exception {
        service = start();
        String drl = Files.readString(rules.resolve("identity/identity.drl")) + "// Approved just before a stop.\n";
        HttpResponse<String> proposed = send("POST", "/api/v1/policy/proposals", ALICE,
                JSON.writeValueAsString(Map.of("note", "Approved before a stop", "since", "1d",
                        "files", Map.of("identity/identity.drl", drl))));
        assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(201);
        JsonNode proposal = JSON.readTree(proposed.body());
        service.close();
        service = null;
        // The service stopped after bob's approval was recorded and its files written, before the reload.
        try (Connection db = DriverManager.getConnection(database.url(), database.username(), database.password());
             Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO policy_proposal_event (proposal_id, event, actor) VALUES ('"
                    + proposal.get("id").asText() + "', 'approved', 'bob')");
        }
        Files.writeString(rules.resolve("identity/identity.drl"), drl);

        service = start();
        String candidate = proposal.get("candidateVersion").asText();
        JsonNode live = ruleset();
        assertThat(live.get("version").asText()).isEqualTo(candidate);
        assertThat(live.get("lastRejectedReload").isNull()).as(live.toString()).isTrue();
        JsonNode newest = keptVersions().get(0);
        assertThat(newest.get("version").asText()).isEqualTo(candidate);
        assertThat(newest.at("/provenance/cause").asText()).isEqualTo("proposal");
        assertThat(newest.at("/provenance/approver").asText()).isEqualTo("bob");
        approvedVersion = candidate;
    }

    @Test
    @Order(5)
    void whenTheKeptFilesCannotStandInTheServiceRefusesToStart() throws Exception {
        Path referenceData = rules.resolve("reference-data.yaml");
        Files.writeString(referenceData, Files.readString(referenceData)
                .replace("    - acme-corp.com\n", "    - acme-corp.com\n    - evil.example\n"));
        // The database's owner changes a kept file behind the archive's back.
        try (Connection db = DriverManager.getConnection(database.url(), database.username(), database.password());
             Statement sql = db.createStatement()) {
            sql.execute("ALTER TABLE kept_ruleset_file DISABLE TRIGGER kept_ruleset_file_no_update_delete");
            sql.execute("UPDATE kept_ruleset_file SET content = convert_to(convert_from(content, 'UTF8') || E'\\n# changed', 'UTF8') "
                    + "WHERE convert_from(content, 'UTF8') LIKE '%allowed-email-domains%'");
            sql.execute("ALTER TABLE kept_ruleset_file ENABLE TRIGGER kept_ruleset_file_no_update_delete");
        }
        assertThatThrownBy(this::start).hasStackTraceContaining("Refusing to start")
                .hasStackTraceContaining("cannot be put live instead");
    }
}
