package org.scimgate.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.database.EmbeddedPostgresServer;
import org.scimgate.support.CliRun;

/**
 * {@code rules replay} on the embedded database of a data directory, with the service stopped (the
 * command starts the database itself) and with it running (the command connects as the service's
 * application role on the port the service recorded).
 */
class HistoryDatabaseTest {

    private static final String ROLE = "scimgate_app";
    private static final String APP_PASSWORD = "app-password-for-the-test";

    @TempDir
    Path dataDir;

    /** A data directory as the service leaves it: migrated, with one refused decision on file. */
    private EmbeddedPostgresServer prepare() throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0);
        server.createDatabaseIfMissing("scimgate");
        try (Connection c = server.connect("scimgate"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
        }
        Flyway.configure().dataSource(server.jdbcUrl("scimgate"), EmbeddedPostgresServer.SUPERUSER, server.password())
                .locations("filesystem:db/migration").placeholders(Map.of("app_role", ROLE)).load().migrate();
        try (Connection c = server.connect("scimgate"); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO decision_audit (decision_id, received_at, source, event_type, idempotency_key,
                        user_name, outcome, http_status, violations, ruleset_version, payload, response_body)
                    VALUES (gen_random_uuid(), now(), 'webhook', 'user.created', 'test:1', 'eve@evil.example',
                        'REJECTED', 400, '[{"code":"SCIM_INVALID_EMAIL_DOMAIN"}]', 'old',
                        '{"eventType":"user.created","data":{"userName":"eve@evil.example",
                          "emails":[{"value":"eve@evil.example","primary":true}]}}', '{}')""");
        }
        return server;
    }

    @Test
    void startsTheEmbeddedDatabaseItselfWhileTheServiceIsStopped() throws Exception {
        prepare().close();

        JsonNode report = replay();

        assertThat(report.path("evaluated").asLong()).isEqualTo(1);
        assertThat(report.path("changed").asLong()).isZero();
        assertThat(report.path("liveVersion").asText()).isEqualTo("old");
        try (FileChannel channel = FileChannel.open(dataDir.resolve("scimgate.lock"), StandardOpenOption.WRITE)) {
            assertThat(channel.tryLock()).as("the command released the data directory").isNotNull();
        }
    }

    @Test
    void connectsAsTheApplicationRoleWhileTheServiceHoldsTheDataDirectory() throws Exception {
        try (EmbeddedPostgresServer server = prepare();
             FileChannel channel = FileChannel.open(dataDir.resolve("scimgate.lock"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE)) {
            channel.lock(); // the service's lock
            Files.writeString(dataDir.resolve("postgres.port"), server.port() + "\n");
            Files.writeString(dataDir.resolve("postgres-app.password"), APP_PASSWORD + "\n");

            JsonNode report = replay();

            assertThat(report.path("evaluated").asLong()).isEqualTo(1);
            assertThat(report.path("changes")).isEmpty();
        }
    }

    @Test
    void namesTheRulesetItComparedWithAndSaysWhenTheCandidateIsThatRuleset() throws Exception {
        prepare().close();
        Map<String, String> env = Map.of("SCIMGATE_DATA_DIR", dataDir.toString());
        CliRun older = CliRun.of(env, "rules", "replay", "--rules", "rules");
        assertThat(older.exit()).as(older.err()).isZero();
        assertThat(older.out()).contains("compared with each decision as it was recorded; the newest was made by "
                + "ruleset old, the service's live one as far as the history shows.")
                .doesNotContain("The candidate is that ruleset");

        String candidate;
        try (org.scimgate.policy.Ruleset rules = org.scimgate.policy.RulesCommand.compiler(List.of())
                .compile(Path.of("rules"))) {
            candidate = rules.version();
        }
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0);
             Connection c = again.connect("scimgate"); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO decision_audit (decision_id, received_at, source, event_type, idempotency_key,
                        user_name, outcome, http_status, violations, ruleset_version, payload, response_body)
                    VALUES (gen_random_uuid(), now(), 'webhook', 'user.created', 'test:2', 'jane@acme.com',
                        'ACCEPTED', 200, '[]', '%s', '{"eventType":"user.created","data":{"userName":"jane@acme.com",
                          "emails":[{"value":"jane@acme.com","primary":true}]}}', '{}')""".formatted(candidate));
        }
        CliRun same = CliRun.of(env, "rules", "replay", "--rules", "rules", "--format", "markdown");
        assertThat(same.exit()).as(same.err()).isZero();
        assertThat(same.out()).contains("Candidate ruleset `" + candidate + "`")
                .contains("the newest was made by ruleset `" + candidate + "`")
                .contains("The candidate is that ruleset: any change below is a decision an older ruleset");
    }

    private JsonNode replay() throws Exception {
        CliRun run = CliRun.of(Map.of("SCIMGATE_DATA_DIR", dataDir.toString()), "rules", "replay", "--rules", "rules",
                "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out());
    }
}
