package org.scimgate.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every connection to the embedded PostgreSQL needs a password (scram-sha-256). A new data
 * directory is initialised that way; one from an earlier version, which trusted every local
 * connection, is converted on its next start: the superuser gets the generated password, then
 * {@code pg_hba.conf} stops trusting anyone.
 */
final class PasswordAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordAuthentication.class);
    private static final Pattern TRUST = Pattern.compile("^\\s*[^#\\s].*\\strust(\\s.*)?$");
    private static final String PG_HBA = """
            # Written by scimgate: every connection to the embedded PostgreSQL needs a password.
            # TYPE  DATABASE        USER            ADDRESS                 METHOD
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;

    private PasswordAuthentication() {
    }

    /** Whether {@code pg_hba.conf} lets some connection in without a password (data directories before passwords). */
    static boolean trustsConnections(Path pgData) throws IOException {
        Path hba = pgData.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readAllLines(hba).stream().anyMatch(line -> TRUST.matcher(line).matches());
    }

    /** Sets the superuser's password, then makes the server ask every connection for one. */
    static void require(Connection superuser, Path pgData, String password) throws SQLException, IOException {
        try (Statement sql = superuser.createStatement()) {
            sql.execute("ALTER ROLE " + EmbeddedPostgresServer.SUPERUSER + " PASSWORD " + literal(password));
            SecretFile.writeOwnerOnly(pgData.resolve("pg_hba.conf"), PG_HBA);
            sql.execute("SELECT pg_reload_conf()");
        }
        LOG.warn("The embedded PostgreSQL in {} trusted every local connection; it now requires passwords "
                + "(scram-sha-256). Existing data is unchanged.", pgData);
    }

    static String literal(String secret) {
        return "'" + secret.replace("'", "''") + "'";
    }
}
