package org.scimgate.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The role the service connects to the embedded PostgreSQL as, as compose does for an external
 * one: it may log in and use what the migrations grant it (V4: insert and read the audit, update
 * the outbox's delivery state), and owns nothing, so it can neither change the schema nor disable
 * the audit's triggers. It exists before Flyway runs, so every migration's grants reach it.
 */
final class AppRole {

    private static final Logger LOG = LoggerFactory.getLogger(AppRole.class);
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String ATTRIBUTES = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";
    /** What V4 granted when the role existed; V4 is applied once and can never change (Flyway checks its checksum). */
    private static final String[] V4_GRANTS = {
        "GRANT USAGE ON SCHEMA public TO %s",
        "GRANT SELECT, INSERT ON decision_audit, audit_chain TO %s",
        "GRANT SELECT, INSERT, UPDATE ON siem_outbox TO %s",
        "GRANT SELECT ON decisions, decision_violations TO %s",
    };

    private AppRole() {
    }

    static String requireValidName(String role) {
        if (!NAME.matcher(role).matches() || role.equals(EmbeddedPostgresServer.SUPERUSER)) {
            throw new IllegalStateException("SCIMGATE_APP_ROLE must be a lower-case PostgreSQL role name other than "
                    + EmbeddedPostgresServer.SUPERUSER + ", not '" + role + "'");
        }
        return role;
    }

    /**
     * The relay's role, named after the application role: {@code scimgate_app} -> {@code scimgate_relay}
     * (migration V14 derives it the same way).
     */
    static String relayRoleOf(String appRole) {
        return requireValidName(appRole.replaceFirst("_app$", "") + "_relay");
    }

    /** Creates the relay's login role (or resets its password and attributes); V14 grants it the outbox functions. */
    static void ensureRelay(Connection superuser, String database, String role, String password) throws SQLException {
        try (Statement sql = superuser.createStatement()) {
            login(superuser, sql, database, role, password);
        }
    }

    private static boolean login(Connection superuser, Statement sql, String database, String role, String password)
            throws SQLException {
        requireValidName(role);
        boolean exists = exists(superuser, role);
        sql.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + (exists ? " WITH" : "") + ATTRIBUTES
                + " PASSWORD " + PasswordAuthentication.literal(password));
        sql.execute("GRANT CONNECT ON DATABASE \"" + database + "\" TO " + role);
        if (!exists) {
            LOG.info("Created the role {} the service connects to the embedded PostgreSQL as", role);
        }
        return exists;
    }

    /** Creates the role (or resets its password and attributes) on a superuser connection to {@code database}. */
    static void ensure(Connection superuser, String database, String role, String password) throws SQLException {
        requireValidName(role);
        try (Statement sql = superuser.createStatement()) {
            login(superuser, sql, database, role, password);
            if (missesEarlierGrants(superuser, role)) {
                // A data directory from before this role existed: V4 ran without it and will not run again.
                for (String grant : V4_GRANTS) {
                    sql.execute(grant.formatted(role));
                }
                LOG.info("Granted {} what migration V4 grants the application role", role);
            }
        }
    }

    private static boolean exists(Connection c, String role) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            q.setString(1, role);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** V4 applied, nothing after V5 yet (later migrations grant to the role themselves), and the role lacks its grants. */
    private static boolean missesEarlierGrants(Connection c, String role) throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet history = s.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
            history.next();
            if (!history.getBoolean(1)) {
                return false;
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version ~ '^[0-9]+$'")) {
            while (rs.next()) {
                versions.add(Integer.parseInt(rs.getString(1)));
            }
        }
        if (!versions.contains(4) || versions.stream().anyMatch(v -> v > 5)) {
            return false;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT has_table_privilege(?, 'decision_audit', 'INSERT')")) {
            q.setString(1, role);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return !rs.getBoolean(1);
            }
        }
    }
}
