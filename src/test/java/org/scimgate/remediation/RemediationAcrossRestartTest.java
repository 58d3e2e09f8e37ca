package org.scimgate.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestService;
import org.scimgate.support.WholeServiceTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The whole service with its relay on: a scan finding and a refused webhook user are queued while
 * Genesys is down, the service is restarted, Genesys comes back, and each account is switched off
 * exactly once; repeated scans of an account with an action waiting queue nothing more.
 */
@WholeServiceTest
class RemediationAcrossRestartTest {

    @Test
    void aGenesysOutageAndARestartInTheMiddleLoseNothingAndDoubleNothing() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        JdbcTemplate sql = new JdbcTemplate(new DriverManagerDataSource(database.url(), database.username(),
                database.password()));
        Path siem = Files.createTempDirectory("remediation-restart").resolve("siem.ndjson");
        try (GenesysAccounts genesys = new GenesysAccounts()) {
            genesys.holds("scan-bad", "outsider@evil.com");
            genesys.holds("scan-good", "jane@acme.com");
            genesys.holds("scan-inactive", "former@evil.com");
            genesys.deactivate("scan-inactive");
            genesys.holds("hook-bad", "hooked@evil.com");
            genesys.mode(GenesysAccounts.Mode.UNREACHABLE);

            try (ConfigurableApplicationContext first = start(database, genesys, siem,
                    "--scimgate.scan.schedule=*/2 * * * * *")) {
                refusedByWebhook(first, "hook-bad", "hooked@evil.com");
                // Two scans found the account while its action waited for Genesys; both calls failed.
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> count(sql,
                        "SELECT count(*) FROM decision_audit WHERE source = 'scan' AND scim_user_id = 'scan-bad'") >= 2
                        && count(sql, "SELECT count(*) FROM remediation_action WHERE attempts >= 1") == 2);
            }
            assertThat(genesys.active("scan-bad")).isTrue();
            assertThat(genesys.active("hook-bad")).isTrue();
            genesys.mode(GenesysAccounts.Mode.UP);

            try (ConfigurableApplicationContext second = start(database, genesys, siem)) {
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> count(sql,
                        "SELECT count(*) FROM remediation_action WHERE status = 'DONE' AND exported_seq = outcome_seq") == 2);
            }

            assertThat(sql.queryForList("SELECT target_id FROM remediation_action ORDER BY target_id", String.class))
                    .containsExactly("hook-bad", "scan-bad");
            assertThat(genesys.deactivations("scan-bad")).isEqualTo(1);
            assertThat(genesys.deactivations("hook-bad")).isEqualTo(1);
            assertThat(genesys.patches("scan-good")).isEmpty();
            assertThat(genesys.patches("scan-inactive")).isEmpty();
            List<String> records = Files.readAllLines(siem).stream().filter(l -> l.contains("\"type\":\"remediation\""))
                    .filter(l -> l.contains("\"status\":\"DONE\"")).toList();
            assertThat(records).hasSize(2);
            for (String decision : sql.queryForList("SELECT decision_id::text FROM remediation_action", String.class)) {
                assertThat(records).anyMatch(r -> r.contains("\"decisionId\":\"" + decision + "\""));
            }
        }
    }

    private static ConfigurableApplicationContext start(TestPostgres.Database database, GenesysAccounts genesys,
                                                        Path siem, String... more) {
        List<String> settings = new java.util.ArrayList<>(List.of(
                "--scimgate.genesys.client-id=remedy-client", "--scimgate.genesys.client-secret=remedy-secret",
                "--scimgate.genesys.api-base-url=" + genesys.uri(), "--scimgate.genesys.login-base-url=" + genesys.uri(),
                "--scimgate.genesys.timeout=2s",
                "--resilience4j.circuitbreaker.instances.genesys.wait-duration-in-open-state=100ms",
                "--scimgate.siem.file=" + siem,
                "--scimgate.remediation.mode=on", "--scimgate.remediation.relay-enabled=true",
                "--scimgate.remediation.poll-interval=200ms", "--scimgate.remediation.backoff=100ms",
                "--scimgate.remediation.max-backoff=500ms", "--scimgate.remediation.max-attempts=1000"));
        settings.addAll(List.of(more));
        return TestService.start(database, settings.toArray(String[]::new));
    }

    private static void refusedByWebhook(ConfigurableApplicationContext service, String id, String userName)
            throws Exception {
        String body = """
                {"eventType":"user.created","eventTimestamp":"2026-12-07T01:00:00Z",
                 "data":{"id":"%s","userName":"%s","emails":[{"value":"%s","primary":true}],
                         "department":"Engineering","costCenter":"CC-1234"}}""".formatted(id, userName, userName);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        TestService.uri(service, "/webhook/scim-validation"))
                .header("Authorization", TestCredentials.WEBHOOK).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    }

    private static long count(JdbcTemplate sql, String query) {
        return sql.queryForObject(query, Long.class);
    }
}
