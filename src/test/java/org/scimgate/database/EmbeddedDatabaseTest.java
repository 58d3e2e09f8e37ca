package org.scimgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.StallingServer;
import org.scimgate.support.TestService;
import org.scimgate.support.TestCredentials;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.scimgate.support.WholeServiceTest;

/**
 * The run command's default: no database configured, so the service starts its own. The tests
 * that only need one running instance share {@link #running} (on {@link #runningDir}) and look only
 * at their own decisions; those that restart, stall or upgrade start their own.
 */
@WholeServiceTest
class EmbeddedDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path runningDir;
    private static ConfigurableApplicationContext running;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startTheSharedInstance() {
        running = start(runningDir);
    }

    @AfterAll
    static void stopTheSharedInstance() {
        if (running != null) {
            running.close();
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--scimgate.database.data-dir=" + dataDir,
                "--scimgate.siem.file=" + dataDir.resolve("siem.ndjson")));
        args.addAll(List.of(more));
        return TestService.start(args.toArray(String[]::new));
    }

    private ConfigurableApplicationContext start() {
        return start(dataDir);
    }

    /**
     * One second data directory, started twice, proves three things that each needed instances of
     * their own: the history survives a restart; the relay lets go of its claim before its
     * embedded database stops (the first run is stopped while the SIEM stalls on the record); and
     * two instances on two data directories, the shared one and this one, keep their decisions apart.
     */
    @Test
    void keepsTheHistoryAcrossARestartReleasesTheRelaysClaimAndStaysApartFromAnotherInstance() throws Exception {
        String held;
        try (StallingServer siem = new StallingServer()) {
            try (ConfigurableApplicationContext service = start(dataDir, "--scimgate.siem.relay-enabled=true",
                    "--scimgate.siem.format=json", "--scimgate.siem.endpoint=" + siem.uri(),
                    "--scimgate.siem.poll-interval=50ms", "--scimgate.siem.timeout=3s")) {
                held = deliver(service, "held@acme.com");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> siem.requests() > 0);
                assertThat(lockedBy(service, held)).as("the relay holds the record while the SIEM stalls").isNotNull();
            }
        }
        assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).hasContent("17");
        try (ConfigurableApplicationContext again = start()) {
            JdbcTemplate jdbc = again.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT outcome FROM decision_audit WHERE decision_id = ?::uuid",
                    String.class, held)).as("the history survives the restart").isEqualTo("ACCEPTED");
            assertThat(lockedBy(again, held)).as("nothing is left claimed by the stopped relay").isNull();

            String fromShared = deliver(running, "a@acme.com");
            String fromThis = deliver(again, "b@acme.com");
            assertThat(port(runningDir)).isNotEqualTo(port(dataDir));
            assertThat(decisionIds(running)).contains(fromShared).doesNotContain(fromThis, held);
            assertThat(decisionIds(again)).contains(fromThis, held).doesNotContain(fromShared);
        }
    }

    private static String lockedBy(ConfigurableApplicationContext service, String decisionId) {
        return service.getBean(JdbcTemplate.class).queryForObject(
                "SELECT locked_by FROM siem_outbox WHERE decision_id = ?::uuid", String.class, decisionId);
    }

    @Test
    void refusesASecondInstanceOnTheSameDataDirectory() {
        assertThatThrownBy(() -> start(runningDir)).hasRootCauseInstanceOf(DataDirectoryInUse.class)
                .rootCause().hasMessageContaining("is in use by another scimgate instance");
        assertThat(running.isRunning()).isTrue();
    }

    @Test
    void aStartRefusedBeforeItsDatabaseWasNeededStopsThePostgresStartedAheadAndFreesTheDirectory() throws Exception {
        // The embedded PostgreSQL starts on its own thread as soon as the configuration is known;
        // here the rules are refused before any bean needs the database.
        assertThatThrownBy(() -> start(dataDir, "--scimgate.policy.rules-dir=src/test/resources/broken-rules/missing-end"))
                .hasRootCauseInstanceOf(org.scimgate.policy.RulesetRejected.class);
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).as("no PostgreSQL left running").doesNotExist();
        try (ConfigurableApplicationContext next = start()) {
            assertThat(deliver(next, "after-refusal@acme.com")).as("the next start takes the directory").isNotNull();
        }
    }

    @Test
    void refusesToStartWhenThePinnedPortIsAnotherInstancesServer(@TempDir Path otherDir) throws Exception {
        int taken = port(runningDir);
        List<String> before = decisionIds(running);
        assertThatThrownBy(() -> start(otherDir, "--scimgate.database.embedded-port=" + taken))
                .hasRootCauseInstanceOf(WrongDatabaseServer.class)
                .rootCause().hasMessageContaining("Port " + taken + " on localhost is already in use");
        assertThat(decisionIds(running)).as("the refused instance wrote nothing into the other's database")
                .containsExactlyInAnyOrderElementsOf(before);
        assertThat(running.isRunning()).isTrue();
    }

    @Test
    void runsDurablyAndSaysSoInHealth() throws Exception {
        ConfigurableApplicationContext service = running;
        try (Connection c = superuser(runningDir)) {
            assertThat(ServerIdentity.show(c, "fsync")).isEqualTo("on");
            assertThat(ServerIdentity.show(c, "full_page_writes")).isEqualTo("on");
        }
        HttpResponse<String> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + webPort(service) + "/actuator/health/readiness"))
                .header("Authorization", TestCredentials.OPERATOR).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode database = JSON.readTree(readiness.body()).at("/components/database");
        assertThat(database.at("/status").asText()).isEqualTo("UP");
        assertThat(database.at("/details/fsync").asText()).isEqualTo("on");
        assertThat(database.at("/details/port").asInt()).isEqualTo(port(runningDir));
    }

    @Test
    void theServiceRoleCanRecordButCannotAlterDropOrDisableTheAudit() throws Exception {
        ConfigurableApplicationContext service = running;
        deliver(service, "role@acme.com");
        assertThat(service.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class))
                .isEqualTo("scimgate_app");
        try (Connection app = DriverManager.getConnection(url(runningDir), "scimgate_app",
                Files.readString(runningDir.resolve("postgres-app.password")).trim());
             Statement sql = app.createStatement()) {
            for (String change : new String[] {"ALTER TABLE decision_audit DISABLE TRIGGER ALL",
                    "ALTER TABLE decision_audit DISABLE TRIGGER decision_audit_no_update_delete",
                    "ALTER TABLE decision_audit ADD COLUMN note text", "DROP TABLE decision_audit",
                    "DROP TRIGGER decision_audit_no_truncate ON decision_audit",
                    "SET session_replication_role = replica", "UPDATE decision_audit SET outcome = 'REJECTED'",
                    "DELETE FROM decision_audit", "CREATE TABLE shadow (id int)", "ALTER ROLE scimgate_app SUPERUSER"}) {
                assertThatThrownBy(() -> sql.execute(change)).as(change)
                        .hasMessageMatching("(?s).*(permission denied|must be owner|must be superuser).*");
            }
        }
    }

    /** A data directory written by an earlier version: trusted connections, no application role, V1–V5 applied. */
    @Test
    void upgradesAnEarlierVersionsDataDirectoryWithoutLosingHistory(@TempDir Path earlierMigrations) throws Exception {
        // V1–V5 alone: Flyway's target stops the versioned migrations only, and would run today's R__ files on V5.
        for (int v = 1; v <= 5; v++) {
            String prefix = "V" + v + "__";
            try (var files = Files.list(Path.of("db", "migration"))) {
                Path file = files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
                Files.copy(file, earlierMigrations.resolve(file.getFileName()));
            }
        }
        UUID earlier = UUID.randomUUID();
        try (EmbeddedPostgres legacy = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).setPort(0).start()) {
            try (Connection c = legacy.getPostgresDatabase().getConnection(); Statement sql = c.createStatement()) {
                sql.execute("CREATE DATABASE scimgate");
            }
            Flyway.configure().dataSource(legacy.getDatabase("postgres", "scimgate")).locations("filesystem:" + earlierMigrations.toAbsolutePath())
                    .placeholders(Map.of("app_role", "scimgate_app")).load().migrate();
            try (Connection c = legacy.getDatabase("postgres", "scimgate").getConnection();
                 Statement sql = c.createStatement()) {
                sql.execute("INSERT INTO decision_audit (decision_id, received_at, source, idempotency_key, outcome, "
                        + "http_status, response_body) VALUES ('" + earlier + "', now(), 'webhook', 'delivery:old', "
                        + "'ACCEPTED', 200, '{}')");
            }
        }
        try (ConfigurableApplicationContext service = start()) {
            String later = deliver(service, "upgrade@acme.com");
            assertThat(decisionIds(service)).contains(earlier.toString(), later);
            assertThatThrownBy(() -> DriverManager.getConnection(url(dataDir), "postgres", "guess"))
                    .hasMessageContaining("password authentication failed");
        }
        assertThat(Files.readString(dataDir.resolve("postgres").resolve("pg_hba.conf")))
                .doesNotContainPattern("(?m)^[^#]*\\btrust\\b");
    }

    private static List<String> decisionIds(ConfigurableApplicationContext context) {
        return context.getBean(JdbcTemplate.class).queryForList("SELECT decision_id::text FROM decision_audit",
                String.class);
    }

    private static int port(Path dataDir) throws Exception {
        return Integer.parseInt(Files.readString(dataDir.resolve("postgres.port")).trim());
    }

    private static String url(Path dataDir) throws Exception {
        return "jdbc:postgresql://localhost:" + port(dataDir) + "/scimgate";
    }

    private static Connection superuser(Path dataDir) throws Exception {
        return DriverManager.getConnection(url(dataDir), "postgres",
                Files.readString(dataDir.resolve("postgres.password")).trim());
    }

    private static int webPort(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static String deliver(ConfigurableApplicationContext context, String user) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + webPort(context) + "/webhook/scim-validation"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestCredentials.WEBHOOK)
                .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"eventType\":\"user.created\",\"data\":{\"userName\":\""
                        + user + "\",\"emails\":[{\"value\":\"" + user + "\",\"primary\":true}]}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("decisionId").asText();
    }
}
