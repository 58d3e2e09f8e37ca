package org.scimgate.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.scimgate.support.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database of its own, migrated as the tests' superuser (the schema owner), with an application
 * role of its own created before the migrations as production does, so V4 and V7 grant it what
 * the service gets.
 */
record ChainDatabase(TestPostgres.Database database, String appRole) {

    static ChainDatabase create() {
        TestPostgres.Database database = TestPostgres.newDatabase();
        String role = "chain_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection owner = DriverManager.getConnection(database.url(), database.username(), database.password());
             var sql = owner.createStatement()) {
            sql.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'app'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Flyway.configure().dataSource(database.url(), database.username(), database.password())
                .locations("classpath:db/migration").placeholders(Map.of("app_role", role)).load().migrate();
        return new ChainDatabase(database, role);
    }

    DataSource owner() {
        return new DriverManagerDataSource(database.url(), database.username(), database.password());
    }

    DataSource app() {
        return new DriverManagerDataSource(database.url(), appRole, "app");
    }

    JdbcTemplate ownerSql() {
        return new JdbcTemplate(owner());
    }

    static AuditChain chain(DataSource dataSource) {
        return new AuditChain(JdbcClient.create(dataSource), new JdbcTemplate(dataSource),
                new DataSourceTransactionManager(dataSource));
    }

    /** Inserts a decision as the service would, and returns its id. */
    static UUID insertDecision(JdbcTemplate sql, String userName) {
        UUID id = UUID.randomUUID();
        sql.update("""
                INSERT INTO decision_audit (decision_id, received_at, source, idempotency_key, user_name, outcome,
                    http_status, violations, payload, response_body, operation)
                VALUES (?, now(), 'webhook', ?, ?, 'ACCEPTED', 200, '[]', CAST(? AS jsonb), '{"status":"ACCEPTED"}', ?)""",
                id, "delivery:" + id, userName, "{\"userName\":\"" + userName + "\"}", userName.length() % 2 == 0 ? "create" : null);
        return id;
    }
}
