package org.scimgate.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's own PostgreSQL, for running with nothing installed: holds a lock on the data
 * directory for its whole life, so a second instance on the same directory stops with a clear
 * message instead of corrupting the first one's database.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EmbeddedPostgresServer server;

    EmbeddedDatabase(DatabaseSettings settings) {
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
            lockChannel = FileChannel.open(dataDir.resolve("scimgate.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = tryLock(lockChannel);
            if (lock == null) {
                lockChannel.close();
                throw new DataDirectoryInUse(dataDir);
            }
            server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), settings.embeddedPort());
            server.createDatabaseIfMissing(DatabaseSettings.DATABASE_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database in the embedded PostgreSQL", e);
        }
        LOG.info("Embedded PostgreSQL is ready; query the audit history with: psql \"postgresql://{}@localhost:{}/{}\"",
                EmbeddedPostgresServer.SUPERUSER, server.port(), DatabaseSettings.DATABASE_NAME);
    }

    String jdbcUrl() {
        return server.jdbcUrl(DatabaseSettings.DATABASE_NAME);
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
            LOG.info("Embedded PostgreSQL stopped");
        } finally {
            lock.release();
            lockChannel.close();
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
