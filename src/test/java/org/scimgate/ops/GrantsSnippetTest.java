package org.scimgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestPostgres;

/**
 * The production grants in docs/operate/security.md give the application role and the relay's role
 * exactly what the migrations give them when the roles exist before they run: the same table,
 * column and function privileges.
 */
class GrantsSnippetTest {

    private static final String BY_MIGRATIONS = "grants_by_migrations";
    private static final String BY_README = "grants_by_readme";
    /** The relay's role is named after the application role (V14): scimgate_app, scimgate_relay. */
    private static final String RELAY = "_relay";

    @Test
    void theReadmesGrantsMatchTheMigrations() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(database.url(), database.username(), database.password());
             Statement sql = c.createStatement()) {
            createRole(sql, BY_MIGRATIONS);
            createRole(sql, BY_MIGRATIONS + RELAY);
            Flyway.configure().dataSource(database.url(), database.username(), database.password())
                    .locations("classpath:db/migration").placeholders(Map.of("app_role", BY_MIGRATIONS))
                    .load().migrate();
            createRole(sql, BY_README);
            createRole(sql, BY_README + RELAY);
            for (String statement : readmeGrants().split(";")) {
                if (!statement.isBlank()) {
                    sql.execute(statement.replace("scimgate_app", BY_README).replace("scimgate_relay", BY_README + RELAY));
                }
            }
            TreeSet<String> byMigrations = privileges(sql, BY_MIGRATIONS);
            assertThat(byMigrations).as("what the migrations grant").contains(
                    "SELECT siem_outbox", "SELECT audit_chain")
                    .as("the outbox is filled by a trigger, never by the service")
                    .doesNotContain("INSERT siem_outbox", "INSERT siem_outbox.decision_id");
            assertThat(byMigrations).as("the relay's functions are the relay role's alone")
                    .contains("EXECUTE siem_outbox_redrive", "SELECT decision_audit_seq_seq")
                    .doesNotContain("EXECUTE siem_outbox_claim", "EXECUTE siem_outbox_deliver", "EXECUTE siem_outbox_fail");
            assertThat(privileges(sql, BY_README)).isEqualTo(byMigrations);
            TreeSet<String> relayByMigrations = privileges(sql, BY_MIGRATIONS + RELAY);
            assertThat(relayByMigrations).contains("EXECUTE siem_outbox_claim", "EXECUTE siem_outbox_deliver",
                    "SELECT siem_outbox").doesNotContain("INSERT decision_audit", "EXECUTE siem_outbox_redrive");
            assertThat(privileges(sql, BY_README + RELAY)).isEqualTo(relayByMigrations);
        }
    }

    private static void createRole(Statement sql, String role) throws SQLException {
        sql.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role
                + "') THEN CREATE ROLE " + role + "; END IF; END $$");
    }

    /** The statements the security page runs as the schema owner, comments removed. */
    private static String readmeGrants() throws IOException {
        String readme = Files.readString(Path.of("docs/operate/security.md"));
        int from = readme.indexOf("-- as scimgate_owner, after the migrations ran");
        assertThat(from).as("the grants snippet in docs/operate/security.md").isPositive();
        String block = readme.substring(readme.indexOf('\n', from), readme.indexOf("```", from));
        return block.replaceAll("--[^\\n]*", "");
    }

    /** Every privilege the role holds on the schema's tables, views, columns and functions. */
    private static TreeSet<String> privileges(Statement sql, String role) throws SQLException {
        TreeSet<String> held = new TreeSet<>();
        collect(sql, held, """
                SELECT p.priv || ' ' || c.relname FROM pg_class c
                CROSS JOIN unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) AS p(priv)
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'v', 'S', 'p')
                  AND has_table_privilege('%1$s', c.oid, p.priv)""".formatted(role));
        collect(sql, held, """
                SELECT p.priv || ' ' || c.relname || '.' || a.attname FROM pg_class c
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                CROSS JOIN unnest(ARRAY['SELECT','INSERT','UPDATE']) AS p(priv)
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'v')
                  AND has_column_privilege('%1$s', c.oid, a.attnum, p.priv)""".formatted(role));
        collect(sql, held, """
                SELECT 'EXECUTE ' || p.proname FROM pg_proc p
                WHERE p.pronamespace = current_schema()::regnamespace
                  AND has_function_privilege('%1$s', p.oid, 'EXECUTE')""".formatted(role));
        collect(sql, held, "SELECT 'USAGE schema' WHERE has_schema_privilege('%1$s', current_schema(), 'USAGE')"
                .formatted(role));
        return held;
    }

    private static void collect(Statement sql, TreeSet<String> into, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                into.add(rows.getString(1));
            }
        }
    }
}
