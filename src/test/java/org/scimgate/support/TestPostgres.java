package org.scimgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.scimgate.database.EmbeddedPostgresServer;
import org.springframework.boot.SpringApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one place that chooses the tests' PostgreSQL: a Testcontainers PostgreSQL 17 where a Docker
 * engine runs, the embedded PostgreSQL 17 binaries from Maven Central where none does. Either way
 * a real server, started once per test JVM; each caller gets a database of its own.
 *
 * <p>A service started on one connects as production has it: Flyway migrates as the schema's
 * owner, the service connects as the application role ({@value #APP_ROLE}, which migration V4
 * grants what the request path needs, and nothing more), the SIEM relay as {@value #RELAY_ROLE}
 * (V14). So every Spring test exercises the application role's grants; a test that must do what
 * the service may not (add a trigger, tamper with a row) does it through {@link Database#asOwner()}.
 */
public final class TestPostgres {

    public static final String APP_ROLE = "scimgate_app";
    public static final String APP_PASSWORD = "app";
    public static final String RELAY_ROLE = "scimgate_relay";
    public static final String RELAY_PASSWORD = "relay";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Server server;

    private TestPostgres() {
    }

    /** A database on the tests' server; {@code username} is its owner (the server's superuser). */
    public record Database(String url, String username, String password) {

        /**
         * Points a Spring test's datasource at this database as production does: Flyway as the
         * owner, the service as the application role, the relay as the relay role.
         */
        public void register(DynamicPropertyRegistry registry) {
            arguments().forEach((key, value) -> registry.add(key, () -> value));
        }

        /** The same settings, for a service started with {@code --key=value} arguments. */
        public Map<String, String> arguments() {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("spring.datasource.url", url);
            settings.put("spring.datasource.username", APP_ROLE);
            settings.put("spring.datasource.password", APP_PASSWORD);
            settings.put("spring.flyway.user", username);
            settings.put("spring.flyway.password", password);
            settings.put("spring.datasource.relay.username", RELAY_ROLE);
            settings.put("spring.datasource.relay.password", RELAY_PASSWORD);
            // A test JVM keeps every service context it started (Spring's context cache), all on one
            // server of 100 connections: each pool keeps one idle connection, not ten.
            settings.put("spring.datasource.hikari.minimum-idle", "1");
            return settings;
        }

        /** The schema's owner, for what a test does that the service may not: a trigger, a tampered row. */
        public JdbcTemplate asOwner() {
            return new JdbcTemplate(new DriverManagerDataSource(url, username, password));
        }
    }

    /** A new, empty database on the shared server. */
    public static synchronized Database newDatabase() {
        if (server == null) {
            server = start();
        }
        String name = "test_" + DATABASES.incrementAndGet();
        server.create(name);
        Database database = server.database(name);
        if (DATABASES.get() == 1) {
            createRoles(database);
        }
        return database;
    }

    /** The login roles of the service and its relay, once per server (roles belong to the cluster). */
    private static void createRoles(Database database) {
        try (var owner = DriverManager.getConnection(database.url(), database.username(), database.password());
             Statement sql = owner.createStatement()) {
            for (String[] role : List.of(new String[] {APP_ROLE, APP_PASSWORD}, new String[] {RELAY_ROLE, RELAY_PASSWORD})) {
                sql.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role[0] + "') THEN "
                        + "CREATE ROLE " + role[0] + " LOGIN PASSWORD '" + role[1] + "'; END IF; END $$");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Server start() {
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
            container.start();
            return new ContainerServer(container);
        }
        try {
            Path data = Files.createTempDirectory("scimgate-test-pg");
            EmbeddedPostgresServer embedded = EmbeddedPostgresServer.startUntilClosed(data.resolve("pgdata"), 0);
            // Stopped after the contexts the test JVM cached have closed (Spring Boot runs its shutdown
            // handlers after closing them), not by a JVM hook of its own: JVM hooks run at once, and a
            // context closing after its database stopped waits out Hikari's connection timeout (30 s)
            // on each pool that still has work to do at close (the relay releasing its claims).
            SpringApplication.getShutdownHandlers().add(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            });
            return new EmbeddedServer(embedded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private interface Server {
        void create(String name);

        Database database(String name);
    }

    private record EmbeddedServer(EmbeddedPostgresServer server) implements Server {
        @Override
        public void create(String name) {
            try {
                server.createDatabaseIfMissing(name);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Database database(String name) {
            return new Database(server.jdbcUrl(name), EmbeddedPostgresServer.SUPERUSER, server.password());
        }
    }

    private record ContainerServer(PostgreSQLContainer container) implements Server {
        @Override
        public void create(String name) {
            try (var c = java.sql.DriverManager.getConnection(container.getJdbcUrl(), container.getUsername(),
                    container.getPassword()); var s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Database database(String name) {
            String url = container.getJdbcUrl().replace("/" + container.getDatabaseName(), "/" + name);
            return new Database(url, container.getUsername(), container.getPassword());
        }
    }
}
