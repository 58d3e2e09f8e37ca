package org.scimgate.remediation;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestRules;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * One service (mode {@code on}, its relay driven by the tests) on a database of its own, with
 * Genesys on loopback and the shipped rules plus a warn-mode rule that carries a remedy. Before
 * each test every action earlier tests left due is carried out, so each test's relay sees only its
 * own; each test uses Genesys ids of its own.
 */
@ActiveProfiles("test")
@SpringBootTest
@AutoConfigureMockMvc
abstract class RemediationTestSupport {

    /** A warn-mode rule with a remedy: its violations must never be acted on. */
    static final String WARNED_RULE = """
            package warned;

            import org.scimgate.scim.ScimUser;
            import org.scimgate.policy.Violation;

            rule "Contractors are reviewed"
                @code("POLICY_CONTRACTOR_REVIEW")
                @severity("low")
                @mode("warn")
                @remedy("deactivate")
                @description("Contractor accounts are reviewed each quarter.")
            when
                ScimUser( division == "Contractors" )
            then
                insert(new Violation("division", "Contractor accounts are reviewed each quarter."));
            end
            """;
    static final String WARNED_EXAMPLES = """
            "Contractors are reviewed":
              allowed:
                - name: staff
                  user: {userName: jane, emails: [{value: jane@acme.com, primary: true}], "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {division: Staff}}
              disallowed:
                - name: a contractor
                  user: {userName: jane, emails: [{value: jane@acme.com, primary: true}], "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {division: Contractors}}
                  expect: [POLICY_CONTRACTOR_REVIEW]
            """;

    static GenesysAccounts genesys;
    static Path siemFile;
    private static TestPostgres.Database database;
    private static Path rules;

    @DynamicPropertySource
    static void remediationService(DynamicPropertyRegistry registry) throws Exception {
        synchronized (RemediationTestSupport.class) {
            if (database == null) {
                database = TestPostgres.newDatabase();
                genesys = new GenesysAccounts();
                rules = TestRules.copyOfShippedRules("remediation-rules");
                Files.createDirectories(rules.resolve("warned"));
                Files.writeString(rules.resolve("warned/warned.drl"), WARNED_RULE);
                Files.writeString(rules.resolve("warned/examples.yaml"), WARNED_EXAMPLES);
                siemFile = Files.createTempDirectory("remediation-siem").resolve("siem.ndjson");
            }
        }
        database.register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.policy.rules-dir", rules::toString);
        registry.add("scimgate.genesys.client-id", () -> "remedy-client");
        registry.add("scimgate.genesys.client-secret", () -> "remedy-secret");
        registry.add("scimgate.genesys.api-base-url", genesys::uri);
        registry.add("scimgate.genesys.login-base-url", genesys::uri);
        registry.add("scimgate.siem.file", siemFile::toString);
        registry.add("scimgate.remediation.mode", () -> "on");
        registry.add("scimgate.remediation.max-per-hour", () -> "1000");
        registry.add("scimgate.remediation.relay-enabled", () -> "false");
        registry.add("scimgate.genesys.timeout", () -> "2s");
        registry.add("resilience4j.circuitbreaker.instances.genesys.wait-duration-in-open-state", () -> "100ms");
    }

    /** The database as its owner: for what neither the service nor a relay may do (move an action's timers). */
    static JdbcTemplate owner() {
        return database.asOwner();
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ActionQueue queue;
    @Autowired
    List<ActionType> types;
    @Autowired
    OutcomeExport export;

    @BeforeEach
    void carryOutWhatEarlierTestsLeft() {
        genesys.mode(GenesysAccounts.Mode.UP);
        genesys.slowPatches(0);
        relay("backlog", settings("on", 1_000_000, 12)).drain();
    }

    static RemediationSettings settings(String mode, int cap, int maxAttempts) {
        return new RemediationSettings(mode, cap, 10, Duration.ofSeconds(5), Duration.ofSeconds(60), maxAttempts,
                Duration.ofMillis(1), Duration.ofMillis(1), false);
    }

    RemediationRelay relay(String owner, RemediationSettings settings) {
        return new RemediationRelay(queue, types, settings, owner + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A fresh Genesys id, held by the org as an active account. */
    static String account(String userName) {
        String id = "g-" + UUID.randomUUID();
        genesys.holds(id, userName);
        return id;
    }

    /** Genesys tells the webhook it created user {@code id} with {@code userName}; returns the response body. */
    String created(String id, String userName, String webhookId, String extra) throws Exception {
        String body = """
                {"eventType":"user.created","eventTimestamp":"2026-12-07T01:00:00Z",
                 "data":{"id":"%s","userName":"%s","emails":[{"value":"%s","primary":true,"type":"work"}],
                         "department":"Engineering","costCenter":"CC-1234"%s}}""".formatted(id, userName, userName, extra);
        var request = post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK)
                .contentType(MediaType.APPLICATION_JSON).content(body);
        if (webhookId != null) {
            request.header("x-genesys-webhook-id", webhookId);
        }
        return mvc.perform(request).andReturn().getResponse().getContentAsString();
    }

    /** A user on a domain the company does not own: refused by an enforced rule with @remedy("deactivate"). */
    String refused(String id) throws Exception {
        return created(id, "mallory." + id + "@evil.com", "wh-" + UUID.randomUUID(), "");
    }

    List<Map<String, Object>> actions(String targetId) {
        return jdbc.queryForList("SELECT id, decision_id, status, attempts, last_status, last_answer, started_at, "
                + "released_at, codes::text AS codes FROM remediation_action WHERE target_id = ?", targetId);
    }

    Map<String, Object> action(String targetId) {
        List<Map<String, Object>> actions = actions(targetId);
        if (actions.size() != 1) {
            throw new AssertionError("expected one action about " + targetId + ", found " + actions);
        }
        return actions.get(0);
    }

    UUID decisionOf(String targetId) {
        return jdbc.queryForObject("SELECT decision_id FROM decision_audit WHERE scim_user_id = ? LIMIT 1", UUID.class,
                targetId);
    }

    /** The SIEM's records about a decision (the file sink's lines that name it). */
    static List<String> siemLines(UUID decisionId) throws Exception {
        if (!Files.exists(siemFile)) {
            return List.of();
        }
        return Files.readAllLines(siemFile).stream().filter(l -> l.contains(decisionId.toString())).toList();
    }
}
