package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database the version before several sinks left (every versioned migration up to V20, and
 * that version's R__siem_outbox.sql), holding delivered, DEAD and pending outbox records, takes
 * V21 and keeps every record's delivery state as the state of the sink
 * named {@code default}: the single sink the same settings configure.
 */
class SinksUpgradeTest {

    private static final Path MIGRATIONS = Path.of("db", "migration");

    @Test
    void anExistingOutboxBecomesTheDefaultSinksStateAndItsPendingRecordsAreStillClaimed(@TempDir Path before)
            throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("V21__"))
                    .filter(f -> !f.getFileName().toString().equals("R__siem_outbox.sql")).toList()) {
                Files.copy(file, before.resolve(file.getFileName()));
            }
        }
        try (InputStream old = getClass().getResourceAsStream("/upgrade/R__siem_outbox.before-sinks.sql")) {
            Files.copy(old, before.resolve("R__siem_outbox.sql"));
        }
        TestPostgres.Database database = TestPostgres.newDatabase();
        String prefix = "upg" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String app = prefix + "_app";
        String relay = prefix + "_relay";
        try (Connection owner = DriverManager.getConnection(database.url(), database.username(), database.password());
             var sql = owner.createStatement()) {
            sql.execute("CREATE ROLE " + app + " LOGIN PASSWORD 'app'");
            sql.execute("CREATE ROLE " + relay + " LOGIN PASSWORD 'relay'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(flyway(database, app, before).load().migrate().success).isTrue();
        JdbcTemplate owner = database.asOwner();
        assertThat(owner.queryForObject("SELECT max(version::int) FROM flyway_schema_history WHERE version IS NOT NULL",
                Integer.class)).as("the database is at V20, before the sinks").isEqualTo(20);

        JdbcTemplate asApp = new JdbcTemplate(new DriverManagerDataSource(database.url(), app, "app"));
        UUID delivered = insertDecision(asApp, "delivered@acme.com");
        UUID dead = insertDecision(asApp, "dead@acme.com");
        UUID retrying = insertDecision(asApp, "retrying@acme.com");
        UUID fresh = insertDecision(asApp, "fresh@acme.com");
        owner.update("""
                UPDATE siem_outbox SET status = 'DELIVERED', attempts = 1, delivered_at = now() - interval '1 hour',
                       delivered_by = 'old-relay', correlation_id = 'genesys-audit-1' WHERE decision_id = ?""", delivered);
        owner.update("UPDATE siem_outbox SET status = 'DEAD', attempts = 12, last_error = 'answered 400' WHERE decision_id = ?",
                dead);
        owner.update("""
                UPDATE siem_outbox SET attempts = 3, last_error = 'answered 503', next_attempt_at = now() - interval '1 second'
                WHERE decision_id = ?""", retrying);
        String columns = "decision_id, status, attempts, last_error, delivered_at, delivered_by, correlation_id, created_at";
        List<Map<String, Object>> stateBefore = owner.queryForList("SELECT " + columns + " FROM siem_outbox ORDER BY decision_id");
        assertThat(stateBefore).hasSize(4);

        MigrateResult upgrade = flyway(database, app, MIGRATIONS).load().migrate();
        assertThat(upgrade.success).isTrue();
        assertThat(upgrade.migrations).anySatisfy(m -> assertThat(m.version).isEqualTo("21"));

        assertThat(owner.queryForList("SELECT " + columns + " FROM siem_outbox ORDER BY decision_id"))
                .as("every record's delivery state, unchanged").isEqualTo(stateBefore);
        assertThat(owner.queryForList("SELECT DISTINCT sink FROM siem_outbox", String.class)).containsExactly("default");
        assertThat(owner.queryForList("SELECT name FROM siem_sink WHERE active", String.class)).containsExactly("default");

        JdbcTemplate asRelay = new JdbcTemplate(new DriverManagerDataSource(database.url(), relay, "relay"));
        assertThat(asRelay.queryForList("SELECT decision_id FROM siem_outbox_claim('after-upgrade', 'default', 100, 60, 0)",
                UUID.class)).as("the pending records, and only they").containsExactlyInAnyOrder(retrying, fresh);
        assertThat(asRelay.queryForObject("SELECT count(*) FROM siem_outbox_claim('after-upgrade', 'kafka', 100, 60, 0)",
                Integer.class)).as("a sink of another name has no history").isZero();

        UUID after = insertDecision(asApp, "after@acme.com");
        assertThat(owner.queryForList("SELECT sink FROM siem_outbox WHERE decision_id = ?", String.class, after))
                .containsExactly("default");
        assertThat(new JdbcTemplate(new DriverManagerDataSource(database.url(), app, "app"))
                .queryForObject("SELECT siem_outbox_redrive(?, 'default')", Boolean.class, dead))
                .as("the operator re-drives the DEAD record of the default sink").isTrue();
    }

    private static FluentConfiguration flyway(TestPostgres.Database database, String appRole, Path location) {
        return Flyway.configure().dataSource(database.url(), database.username(), database.password())
                .locations("filesystem:" + location.toAbsolutePath()).placeholders(Map.of("app_role", appRole));
    }

    private static UUID insertDecision(JdbcTemplate sql, String userName) {
        UUID id = UUID.randomUUID();
        sql.update("""
                INSERT INTO decision_audit (decision_id, received_at, source, idempotency_key, user_name, outcome,
                    http_status, violations, payload, response_body)
                VALUES (?, now(), 'webhook', ?, ?, 'ACCEPTED', 200, '[]', CAST(? AS jsonb), '{"status":"ACCEPTED"}')""",
                id, "delivery:" + id, userName, "{\"userName\":\"" + userName + "\"}");
        return id;
    }
}
