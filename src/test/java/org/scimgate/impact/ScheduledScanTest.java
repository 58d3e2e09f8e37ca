package org.scimgate.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The org scan run by the service on its schedule, against a stub Genesys on loopback: each
 * violating account becomes an audit row (source scan) with its outbox entry, once per run, one
 * instance at a time; replay never takes those rows for decisions.
 */
class ScheduledScanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 30;

    /** Users 1..30: every tenth on a domain that is not provisioned, user 7 in a refused department. */
    private static Response genesys(LoopbackServer.Request request) {
        if (request.path().startsWith("/oauth/token")) {
            return Response.of(200, "{\"access_token\":\"scan-token\",\"token_type\":\"bearer\",\"expires_in\":86400}");
        }
        if (!request.path().startsWith("/api/v2/scim/v2/users?")) {
            return Response.of(404, "{}");
        }
        int start = Integer.parseInt(request.path().replaceAll(".*startIndex=(\\d+).*", "$1"));
        ObjectNode page = JSON.createObjectNode().put("totalResults", USERS).put("startIndex", start);
        ArrayNode resources = page.putArray("Resources");
        for (int i = start; i < Math.min(start + 25, USERS + 1); i++) {
            String domain = i % 10 == 0 ? "evil.com" : "acme.com";
            ObjectNode user = resources.addObject().put("id", "id-" + i).put("userName", "user" + i + "@" + domain);
            user.putArray("emails").addObject().put("value", "user" + i + "@" + domain).put("primary", true);
            user.put("department", i == 7 ? "Legal" : "Engineering").put("password", "never-stored-" + i);
        }
        return Response.of(200, page.toString());
    }

    @Test
    void recordsEachViolatingAccountOnTheScheduleAsAnAuditRowThatReachesTheOutbox() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        JdbcTemplate sql = new JdbcTemplate(new DriverManagerDataSource(database.url(), database.username(),
                database.password()));
        try (LoopbackServer stub = new LoopbackServer()) {
            stub.respond(ScheduledScanTest::genesys);
            try (ConfigurableApplicationContext service = TestService.start(database,
                    "--scimgate.scan.schedule=*/2 * * * * *",
                    "--scimgate.genesys.client-id=scan-client", "--scimgate.genesys.client-secret=scan-secret",
                    "--scimgate.genesys.api-base-url=" + stub.uri(), "--scimgate.genesys.login-base-url=" + stub.uri())) {
                // The schedule fires by itself.
                Awaitility.await().atMost(Duration.ofSeconds(60))
                        .until(() -> sql.queryForObject("SELECT count(*) FROM decision_audit WHERE source = 'scan'",
                                Long.class) >= 4);
                ScheduledScan scan = service.getBean(ScheduledScan.class);

                // While another instance holds the scan's lock, a run records nothing.
                try (Connection other = DriverManager.getConnection(database.url(), database.username(),
                        database.password()); var lock = other.createStatement()) {
                    lock.execute("SELECT pg_advisory_lock(" + ScheduledScan.LOCK + ")");
                    assertThat(scan.run()).isNull();
                    lock.execute("SELECT pg_advisory_unlock(" + ScheduledScan.LOCK + ")");
                }
                // A scheduled run may hold the lock at this moment: try until this one gets it.
                ScheduledScan.Run run = Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(scan::run, java.util.Objects::nonNull);
                assertThat(run.scanned()).isEqualTo(USERS);
                assertThat(run.violating()).isEqualTo(4);
            }
        }
        // Every run recorded each of the four accounts once, and no other.
        List<Map<String, Object>> runs = sql.queryForList("SELECT event_timestamp, count(*) AS findings, "
                + "count(DISTINCT scim_user_id) AS accounts FROM decision_audit WHERE source = 'scan' GROUP BY 1");
        assertThat(runs).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("findings")).isEqualTo(4L);
            assertThat(r.get("accounts")).isEqualTo(4L);
        });
        assertThat(sql.queryForList("SELECT DISTINCT scim_user_id FROM decision_audit WHERE source = 'scan'", String.class))
                .containsExactlyInAnyOrder("id-7", "id-10", "id-20", "id-30");
        Map<String, Object> legal = sql.queryForMap("SELECT outcome, event_type, http_status, violations::text AS v, "
                + "payload::text AS p, ruleset_version FROM decision_audit WHERE scim_user_id = 'id-7' LIMIT 1");
        assertThat(legal.get("outcome")).isEqualTo("NONCOMPLIANT_ACCOUNT");
        assertThat(legal.get("event_type")).isEqualTo("genesys.scan");
        assertThat((String) legal.get("v")).contains("POLICY_DEPARTMENT_DENIED");
        assertThat((String) legal.get("p")).contains("user7@acme.com").doesNotContain("never-stored");
        assertThat(legal.get("ruleset_version")).isNotNull();
        assertThat(sql.queryForObject("SELECT count(*) FROM decision_audit a WHERE source = 'scan' "
                + "AND NOT EXISTS (SELECT 1 FROM siem_outbox o WHERE o.decision_id = a.decision_id)", Long.class))
                .as("scan rows without an outbox entry").isZero();

        // Replay takes judged webhook and gateway decisions only: the findings are no past decisions.
        ReplayCli.Run replay = ReplayCli.replay(database, "--rules", "rules", "--format", "json");
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(JSON.readTree(replay.out()).path("evaluated").asLong()).isZero();
    }

    @Test
    void aScheduleThatIsNotACronExpressionOrWithoutGenesysCredentialsStopsTheStartSayingWhatToSet() {
        assertThatThrownBy(() -> new ScanSettings("every night"))
                .hasMessageContaining("scimgate.scan.schedule").hasMessageContaining("0 0 3 * * *");
        assertThat(new ScanSettings("").enabled()).isFalse();
        assertThat(new ScanSettings(null).enabled()).isFalse();
        TestPostgres.Database database = TestPostgres.newDatabase();
        assertThatThrownBy(() -> TestService.start(database, "--scimgate.scan.schedule=0 0 3 * * *").close())
                .rootCause().hasMessageContaining("GENESYS_CLIENT_ID");
    }
}
