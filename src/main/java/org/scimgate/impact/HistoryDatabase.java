package org.scimgate.impact;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Function;
import org.scimgate.database.DatabaseSettings;
import org.scimgate.database.EmbeddedPostgresServer;
import org.scimgate.database.RunningService;

/**
 * The decision history for a command run outside the service: {@code SPRING_DATASOURCE_URL} (with
 * {@code _USERNAME} and {@code _PASSWORD}) when set; otherwise the embedded PostgreSQL of
 * {@code SCIMGATE_DATA_DIR}. While the service runs (it holds the data directory's lock) the command
 * connects on the port the service recorded in {@code postgres.port}, as the application role
 * ({@code SCIMGATE_APP_ROLE}) with its password from {@code postgres-app.password}; while it is
 * stopped the command takes the lock and starts the database itself on a free port. The one place
 * that knows how the embedded database is reached from outside the service.
 */
final class HistoryDatabase implements AutoCloseable {

    private final Connection connection;
    private final EmbeddedPostgresServer started;
    private final FileChannel lockChannel;

    private HistoryDatabase(Connection connection, EmbeddedPostgresServer started, FileChannel lockChannel) {
        this.connection = connection;
        this.started = started;
        this.lockChannel = lockChannel;
    }

    static HistoryDatabase open(Function<String, String> env) throws SQLException, IOException {
        String url = env.apply("SPRING_DATASOURCE_URL");
        if (url != null && !url.isBlank()) {
            return new HistoryDatabase(readOnly(DriverManager.getConnection(url,
                    orDefault(env.apply("SPRING_DATASOURCE_USERNAME"), null),
                    orDefault(env.apply("SPRING_DATASOURCE_PASSWORD"), null))), null, null);
        }
        Path dataDir = Path.of(orDefault(env.apply("SCIMGATE_DATA_DIR"), "./data")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dataDir.resolve("postgres"))) {
            throw new IOException("no decision history: SPRING_DATASOURCE_URL is not set and " + dataDir
                    + " holds no embedded database; set SCIMGATE_DATA_DIR to the service's data directory");
        }
        FileChannel channel = FileChannel.open(dataDir.resolve("scimgate.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return new HistoryDatabase(readOnly(runningService(dataDir, env)), null, null);
        }
        EmbeddedPostgresServer server = null;
        try {
            server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0);
            return new HistoryDatabase(readOnly(server.connect(DatabaseSettings.DATABASE_NAME)), server, channel);
        } catch (IOException | SQLException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            channel.close(); // releases the lock
            throw e;
        }
    }

    private static Connection runningService(Path dataDir, Function<String, String> env) throws IOException,
            SQLException {
        RunningService service = RunningService.recordedIn(dataDir, orDefault(env.apply("SCIMGATE_APP_ROLE"),
                "scimgate_app"));
        return DriverManager.getConnection(service.jdbcUrl(), service.role(), service.password());
    }

    Connection connection() {
        return connection;
    }

    private static Connection readOnly(Connection connection) throws SQLException {
        connection.setReadOnly(true);
        return connection;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public void close() throws SQLException, IOException {
        try {
            connection.close();
        } finally {
            try {
                if (started != null) {
                    started.close();
                }
            } finally {
                if (lockChannel != null) {
                    lockChannel.close();
                }
            }
        }
    }
}
