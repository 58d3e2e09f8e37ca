package org.scimgate.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The embedded PostgreSQL of a service that is running on a data directory, as a command outside the
 * service reaches it: on the port the service recorded in {@code postgres.port}, as the application
 * role with the password in {@code postgres-app.password}.
 *
 * @param port     the port on localhost
 * @param role     the application role
 * @param password its password
 */
public record RunningService(Path dataDir, int port, String role, String password) {

    /** The JDBC URL of the service's database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DatabaseSettings.DATABASE_NAME;
    }

    /** Whether a service holds {@code dataDir} (its lock is taken), so its database runs and must not be started again. */
    public static boolean holds(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve("scimgate.lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this very process holds it
        }
    }

    /**
     * How to reach the database of the service that holds {@code dataDir}, from what it recorded there.
     *
     * @throws IOException when the files cannot be read (another user's service) or hold no port
     */
    public static RunningService recordedIn(Path dataDir, String role) throws IOException {
        Path portFile = dataDir.resolve("postgres.port");
        Path passwordFile = dataDir.resolve("postgres-app.password");
        if (!Files.isReadable(portFile) || !Files.isReadable(passwordFile)) {
            throw new IOException("the service holds " + dataDir + " but " + portFile + " or " + passwordFile
                    + " cannot be read; run the command as the service's user");
        }
        String port = Files.readString(portFile).strip();
        try {
            return new RunningService(dataDir, Integer.parseInt(port), role, Files.readString(passwordFile).strip());
        } catch (NumberFormatException e) {
            throw new IOException(portFile + " holds no port number: \"" + port + "\"");
        }
    }
}
