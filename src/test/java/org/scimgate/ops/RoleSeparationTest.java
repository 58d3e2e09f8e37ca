package org.scimgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestService;
import org.scimgate.siem.OutboxRelays;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The production set-up of docs/operate/security.md and docker-compose.yml: migrations run as the schema owner,
 * the service connects as an application role that may insert and read the audit but never change it.
 */
class RoleSeparationTest {

    @Test
    void theApplicationRoleCanRecordDecisionsButNeverChangeThemNorMarkThemDelivered() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        String dbName = database.url().substring(database.url().lastIndexOf('/') + 1);
        try (Connection admin = DriverManager.getConnection(database.url(), database.username(), database.password());
             Statement sql = admin.createStatement()) {
            sql.execute("""
                    DO $$ BEGIN
                      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'scimgate_owner') THEN CREATE ROLE scimgate_owner LOGIN PASSWORD 'owner'; END IF;
                      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'scimgate_app') THEN CREATE ROLE scimgate_app LOGIN PASSWORD 'app'; END IF;
                      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'scimgate_relay') THEN CREATE ROLE scimgate_relay LOGIN PASSWORD 'relay'; END IF;
                    END $$""");
            sql.execute("ALTER DATABASE " + dbName + " OWNER TO scimgate_owner");
            sql.execute("GRANT CONNECT ON DATABASE " + dbName + " TO scimgate_app, scimgate_relay");
        }
        try (Connection owner = DriverManager.getConnection(database.url(), "scimgate_owner", "owner");
             Statement sql = owner.createStatement()) {
            sql.execute("ALTER SCHEMA public OWNER TO scimgate_owner");
        } catch (java.sql.SQLException notOwnerOfSchema) {
            // PostgreSQL 15+: public belongs to pg_database_owner, i.e. the database's owner already
        }
        try (ConfigurableApplicationContext service = TestService.start(
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=scimgate_app",
                "--spring.datasource.password=app",
                "--spring.datasource.relay.username=scimgate_relay",
                "--spring.datasource.relay.password=relay",
                "--spring.flyway.user=scimgate_owner",
                "--spring.flyway.password=owner")) {
            int port = ((WebServerApplicationContext) service).getWebServer().getPort();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/webhook/scim-validation"))
                    .header("Content-Type", "application/json").header("Authorization", TestCredentials.WEBHOOK)
                    .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"eventType":"user.created","data":{"userName":"role@acme.com","emails":[{"value":"role@acme.com","primary":true}]}}"""))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            // The relay's own path works as the relay's role: claim, mark delivered; the operator's re-drive as the service's.
            assertThat(service.getBean(OutboxRelays.class).drain()).isOne();
            assertThat(service.getBean(JdbcTemplate.class).queryForObject("SELECT siem_outbox_redrive_dead()", Integer.class))
                    .isZero();
        }
        try (Connection app = DriverManager.getConnection(database.url(), "scimgate_app", "app");
             Statement sql = app.createStatement()) {
            try (var rs = sql.executeQuery("SELECT count(*) FROM decision_audit")) {
                rs.next();
                assertThat(rs.getLong(1)).isOne();
            }
            try (var rs = sql.executeQuery("SELECT status FROM siem_outbox")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("DELIVERED");
            }
            for (String change : new String[] {"UPDATE decision_audit SET outcome = 'REJECTED'",
                    "DELETE FROM decision_audit", "TRUNCATE decision_audit", "DELETE FROM audit_chain",
                    "DROP TABLE decision_audit",
                    // delivery state changes only through the relay's fenced functions
                    "UPDATE siem_outbox SET status = 'DELIVERED'", "UPDATE siem_outbox SET status = 'PENDING'",
                    "UPDATE siem_outbox SET locked_by = 'forged', lease_token = gen_random_uuid()",
                    "INSERT INTO siem_outbox (decision_id, status) SELECT gen_random_uuid(), 'DELIVERED'",
                    // the database gives each decision its outbox entry; the service adds none itself
                    "INSERT INTO siem_outbox (decision_id) SELECT decision_id FROM decision_audit",
                    "DELETE FROM siem_outbox", "TRUNCATE siem_outbox",
                    // claiming and marking records is the relay role's alone (V14)
                    "SELECT * FROM siem_outbox_claim('forged', 'default', 100, 60, 0)",
                    "SELECT siem_outbox_deliver('forged', gen_random_uuid(), ARRAY[]::uuid[], ARRAY[]::text[])",
                    "CREATE OR REPLACE FUNCTION siem_outbox_release(p_owner text) RETURNS integer LANGUAGE sql AS 'SELECT 0'"}) {
                assertThatThrownBy(() -> sql.execute(change)).as(change)
                        .hasMessageMatching("(?s).*(permission denied|must be owner).*");
            }
        }
    }
}
