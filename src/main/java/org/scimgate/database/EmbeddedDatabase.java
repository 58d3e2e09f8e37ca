package org.scimgate.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's own PostgreSQL, for running with nothing installed: holds a lock on the data
 * directory for its whole life, so a second instance on the same directory stops with a clear
 * message instead of corrupting the first one's database. It listens on a free port unless one is
 * pinned, records the port in {@code <dataDir>/postgres.port}, and has the service connect as the
 * application role with its own generated password ({@code <dataDir>/postgres-app.password}), and its
 * SIEM relay as a relay role of its own ({@code <dataDir>/postgres-relay.password}).
 *
 * <p>It is closed as a bean of the Spring context: every bean that uses the database depends on
 * it, so it stops after the web server has drained and the decision writers and the relay have
 * stopped — never while a request is still being answered.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final Path dataDir;
    private final String appRole;
    private final String appPassword;
    private final String relayRole;
    private String relayPassword;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EmbeddedPostgresServer server;

    EmbeddedDatabase(DatabaseSettings settings, String appRole) {
        this.dataDir = settings.dataDir().toAbsolutePath().normalize();
        this.appRole = AppRole.requireValidName(appRole);
        this.relayRole = AppRole.relayRoleOf(appRole);
        try {
            Files.createDirectories(dataDir);
            lockChannel = FileChannel.open(dataDir.resolve("scimgate.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = tryLock(lockChannel);
            if (lock == null) {
                lockChannel.close();
                throw new DataDirectoryInUse(dataDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not lock the data directory " + dataDir, e);
        }
        try {
            server = EmbeddedPostgresServer.startUntilClosed(dataDir.resolve("postgres"), settings.embeddedPort());
            appPassword = prepare(server, appRole);
        } catch (IOException | SQLException | RuntimeException e) {
            releaseLock();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dataDir, e);
        }
        LOG.info("Embedded PostgreSQL is ready on port {} (also in {}); query the audit history with: "
                        + "PGPASSWORD=\"$(cat {})\" psql \"postgresql://{}@localhost:{}/{}\"",
                server.port(), portFile(), appPasswordFile(), appRole, server.port(), DatabaseSettings.DATABASE_NAME);
    }

    private String prepare(EmbeddedPostgresServer started, String role) throws IOException, SQLException {
        try {
            started.createDatabaseIfMissing(DatabaseSettings.DATABASE_NAME);
            SecretFile.writeOwnerOnly(portFile(), started.port() + "\n");
            String password = SecretFile.readOrCreate(appPasswordFile());
            relayPassword = SecretFile.readOrCreate(relayPasswordFile());
            try (Connection c = started.connect(DatabaseSettings.DATABASE_NAME)) {
                AppRole.ensure(c, DatabaseSettings.DATABASE_NAME, role, password);
                AppRole.ensureRelay(c, DatabaseSettings.DATABASE_NAME, relayRole, relayPassword);
            }
            return password;
        } catch (IOException | SQLException | RuntimeException e) {
            started.close();
            throw e;
        }
    }

    String jdbcUrl() {
        return server.jdbcUrl(DatabaseSettings.DATABASE_NAME);
    }

    String appRole() {
        return appRole;
    }

    String appPassword() {
        return appPassword;
    }

    /** The SIEM relay's own role (V14): the only one that may claim outbox records and mark them delivered. */
    String relayRole() {
        return relayRole;
    }

    String relayPassword() {
        return relayPassword;
    }

    String superuserPassword() {
        return server.password();
    }

    int port() {
        return server.port();
    }

    long systemIdentifier() {
        return server.systemIdentifier();
    }

    Path portFile() {
        return dataDir.resolve("postgres.port");
    }

    Path appPasswordFile() {
        return dataDir.resolve("postgres-app.password");
    }

    Path relayPasswordFile() {
        return dataDir.resolve("postgres-relay.password");
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
            LOG.info("Embedded PostgreSQL stopped");
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("Could not release the lock on {}: {}", dataDir, e.toString());
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }
}
