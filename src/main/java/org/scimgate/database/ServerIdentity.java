package org.scimgate.database;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Checks that the PostgreSQL answering on the embedded port is this instance's own — a server that
 * merely answers {@code SELECT 1} may be another instance's, on another data directory — and that
 * it flushes commits to disk.
 */
final class ServerIdentity {

    private static final String INVALID_PASSWORD = "28P01";

    private ServerIdentity() {
    }

    /** {@code SHOW data_directory} must be {@code pgData}; needs a superuser connection. */
    static void requireDataDirectory(Connection superuser, Path pgData, int port) throws SQLException, IOException {
        String served = show(superuser, "data_directory");
        Path expected = pgData.toRealPath();
        if (!realPath(served).equals(expected)) {
            throw new WrongDatabaseServer("The PostgreSQL answering on localhost:" + port + " serves the data directory "
                    + served + ", not this instance's " + expected + "; its decisions would land in another audit.",
                    "Stop the other PostgreSQL or give this instance another SCIMGATE_EMBEDDED_DB_PORT "
                            + "(leave it unset to pick a free port).");
        }
    }

    /** fsync and full_page_writes must be on: an answered decision must survive a power cut. */
    static void requireDurable(Connection c) throws SQLException {
        for (String setting : new String[] {"fsync", "full_page_writes"}) {
            String value = show(c, setting);
            if (!"on".equals(value)) {
                throw new DatabaseNotDurable(setting, value);
            }
        }
    }

    /** The cluster's identifier, the same for every connection to it, readable by any role. */
    static long systemIdentifier(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** When the start-up probe was refused the password: a server that is not ours, or a replaced password file. */
    static Optional<WrongDatabaseServer> passwordRefused(IOException failure, int port, Path passwordFile) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && INVALID_PASSWORD.equals(sql.getSQLState())) {
                return Optional.of(new WrongDatabaseServer("The PostgreSQL answering on localhost:"
                        + (port == 0 ? "(the chosen port)" : port) + " refused the password in " + passwordFile + ".",
                        "If another PostgreSQL listens on that port, stop it or choose another SCIMGATE_EMBEDDED_DB_PORT;"
                                + " if " + passwordFile + " was replaced, restore the one this data directory was "
                                + "created with."));
            }
        }
        return Optional.empty();
    }

    private static Path realPath(String path) {
        try {
            return Path.of(path).toRealPath();
        } catch (IOException | RuntimeException e) {
            return Path.of(path).toAbsolutePath().normalize();
        }
    }
}
