package org.scimgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.database.EmbeddedPostgresServer;
import org.scimgate.support.CliRun;

/**
 * {@code audit verify}, as the console's overview tells an operator to run it, while the service
 * runs on the data directory: it reads the running service's database, as {@code rules replay}
 * does, instead of failing on the data directory's lock.
 */
class AuditVerifyBesideTheServiceTest {

    private static final String ROLE = "scimgate_app";
    private static final String APP_PASSWORD = "app-password-for-the-audit-test";

    @TempDir
    Path dataDir;

    @Test
    void readsTheRunningServicesDatabaseAsItsApplicationRole() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0);
             FileChannel channel = FileChannel.open(dataDir.resolve("scimgate.lock"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE)) {
            server.createDatabaseIfMissing("scimgate");
            try (Connection c = server.connect("scimgate"); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
            }
            Flyway.configure().dataSource(server.jdbcUrl("scimgate"), EmbeddedPostgresServer.SUPERUSER, server.password())
                    .locations("filesystem:db/migration").placeholders(Map.of("app_role", ROLE)).load().migrate();
            channel.lock(); // the service's lock
            Files.writeString(dataDir.resolve("postgres.port"), server.port() + "\n");
            Files.writeString(dataDir.resolve("postgres-app.password"), APP_PASSWORD + "\n");

            CliRun verify = CliRun.of(Map.of("SCIMGATE_DATA_DIR", dataDir.toString()), "audit", "verify");

            assertThat(verify.err()).doesNotContain("in use by another scimgate instance");
            assertThat(verify.exit()).as(verify.err()).isZero();
            assertThat(verify.out()).contains("Reading the database of the service running on " + dataDir.toAbsolutePath().normalize()
                    + " (localhost:" + server.port() + ", as " + ROLE + ")").contains("Audit chain intact");
            assertThat(verify.out()).as("the password never shows").doesNotContain(APP_PASSWORD);
        }
    }

    @Test
    void saysWhatItCannotReadWhenTheServiceRecordedNoPort() throws Exception {
        try (FileChannel channel = FileChannel.open(dataDir.resolve("scimgate.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            Files.createDirectories(dataDir.resolve("postgres"));
            channel.lock();
            CliRun verify = CliRun.of(Map.of("SCIMGATE_DATA_DIR", dataDir.toString()), "audit", "verify");
            assertThat(verify.exit()).isEqualTo(1);
            assertThat(verify.err()).contains("Cannot reach the running service's database").contains("postgres.port");
        }
    }
}
