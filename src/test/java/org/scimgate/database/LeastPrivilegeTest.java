package org.scimgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.scimgate.siem.OutboxRelays;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 23, finding 6, on the service's own database as {@code ./mvnw spring-boot:run} sets it up:
 * the role the request path connects as can neither place a decision in the history (its own seq,
 * a received_at of last year) nor mark SIEM records delivered; the relay does that as its own role.
 */
class LeastPrivilegeTest {

    private static final String COLUMNS = "decision_id, received_at, source, idempotency_key, user_name, outcome, "
            + "http_status, response_body";

    @TempDir
    Path dataDir;

    @Test
    void theRequestPathsRoleTakesTheDatabasesSeqAndClockAndCannotDeliver() throws Exception {
        try (ConfigurableApplicationContext service = TestService.start("--scimgate.database.data-dir=" + dataDir,
                "--scimgate.siem.file=" + dataDir.resolve("siem.ndjson"), "--scimgate.audit.sealing=false")) {
            assertThat(deliver(service, "first@acme.com")).isEqualTo(200);
            try (Connection app = connect("scimgate_app", "postgres-app.password"); Statement sql = app.createStatement()) {
                List<String> refused = List.of(
                        // the reproduction: its own (negative) seq and a received_at in 2025
                        "INSERT INTO decision_audit (seq, " + COLUMNS + ") OVERRIDING SYSTEM VALUE VALUES (-5, "
                                + values("'2025-03-01T09:00:00Z'", "backdated@acme.com") + ")",
                        // its own seq, ahead of every other, at the right time
                        "INSERT INTO decision_audit (seq, " + COLUMNS + ") OVERRIDING SYSTEM VALUE VALUES (900000, "
                                + values("now()", "ahead@acme.com") + ")",
                        // the database's seq, but last year
                        "INSERT INTO decision_audit (" + COLUMNS + ") VALUES (" + values("'2025-03-01T09:00:00Z'", "old@acme.com") + ")",
                        // ... or tomorrow
                        "INSERT INTO decision_audit (" + COLUMNS + ") VALUES (" + values("now() + interval '1 day'", "tomorrow@acme.com") + ")");
                for (String insert : refused) {
                    assertThatThrownBy(() -> sql.execute(insert)).as(insert)
                            .hasMessageMatching("(?s).*(is allocated by the database|is not within the database's clock"
                                    // a session that never took a seq has none to give: currval() refuses
                                    + "|currval of sequence .* is not yet defined in this session).*");
                }
                // COPY writes an identity column as given, whatever GENERATED ALWAYS says
                String row = "-7\t" + UUID.randomUUID() + "\t2025-03-01 09:00:00+00\twebhook\tcopy:" + UUID.randomUUID()
                        + "\tcopied@acme.com\tACCEPTED\t200\t{}\n";
                assertThatThrownBy(() -> app.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "COPY decision_audit (seq, " + COLUMNS + ") FROM STDIN", new StringReader(row)))
                        .hasMessageContaining("is allocated by the database");

                // what the service itself does still works: the database's seq, the database's time
                sql.execute("INSERT INTO decision_audit (" + COLUMNS + ") VALUES (" + values("now()", "fair@acme.com") + ")");

                for (String relayCall : List.of("SELECT * FROM siem_outbox_claim('forger', 'default', 100, 60, 0)",
                        "SELECT siem_outbox_deliver('forger', gen_random_uuid(), ARRAY(SELECT decision_id FROM siem_outbox), "
                                + "ARRAY(SELECT NULL::text FROM siem_outbox))",
                        "SELECT siem_outbox_fail('forger', gen_random_uuid(), ARRAY[]::uuid[], 'x', 1, 1, 1)",
                        "SELECT siem_outbox_release('forger')")) {
                    assertThatThrownBy(() -> sql.execute(relayCall)).as(relayCall)
                            .hasMessageContaining("permission denied for function");
                }
                try (ResultSet rs = sql.executeQuery("SELECT count(*) FILTER (WHERE status = 'PENDING'), "
                        + "min(extract(year FROM a.received_at)) FROM siem_outbox o JOIN decision_audit a USING (decision_id)")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("nothing was marked delivered").isEqualTo(2);
                    assertThat(rs.getInt(2)).as("nothing was backdated").isGreaterThanOrEqualTo(2026);
                }
            }
            // The relay, as its own role, delivers both.
            assertThat(service.getBean(OutboxRelays.class).drain()).isEqualTo(2);
            assertThat(service.getBean(JdbcTemplate.class).queryForObject(
                    "SELECT count(*) FROM siem_outbox WHERE status = 'DELIVERED' AND delivered_by IS NOT NULL", Long.class))
                    .isEqualTo(2);
            try (Connection relay = connect("scimgate_relay", "postgres-relay.password"); Statement sql = relay.createStatement()) {
                assertThatThrownBy(() -> sql.execute("INSERT INTO decision_audit (" + COLUMNS + ") VALUES ("
                        + values("now()", "relay@acme.com") + ")")).hasMessageContaining("permission denied");
                assertThatThrownBy(() -> sql.execute("SELECT siem_outbox_redrive_dead()"))
                        .hasMessageContaining("permission denied");
            }
        }
    }

    /** The values of {@link #COLUMNS}, received_at given as SQL. */
    private static String values(String receivedAt, String userName) {
        UUID id = UUID.randomUUID();
        return "'" + id + "', " + receivedAt + ", 'webhook', 'direct:" + id
                + "', '" + userName + "', 'ACCEPTED', 200, '{}'";
    }

    private Connection connect(String role, String passwordFile) throws Exception {
        int port = Integer.parseInt(Files.readString(dataDir.resolve("postgres.port")).trim());
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/scimgate", role,
                Files.readString(dataDir.resolve(passwordFile)).trim());
    }

    private static int deliver(ConfigurableApplicationContext service, String user) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + TestService.port(service) + "/webhook/scim-validation"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestCredentials.WEBHOOK)
                .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"eventType\":\"user.created\",\"data\":{\"userName\":\""
                        + user + "\",\"emails\":[{\"value\":\"" + user + "\",\"primary\":true}]}}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
