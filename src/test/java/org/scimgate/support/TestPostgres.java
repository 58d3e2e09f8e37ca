package org.scimgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.scimgate.database.EmbeddedPostgresServer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one place that chooses the tests' PostgreSQL: a Testcontainers PostgreSQL 17 where a Docker
 * engine runs, the embedded PostgreSQL 17 binaries from Maven Central where none does. Either way
 * a real server, started once per test JVM; each caller gets a database of its own.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Server server;

    private TestPostgres() {
    }

    public record Database(String url, String username, String password) {

        /** Points a Spring test's datasource at this database. */
        public void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
            registry.add("spring.datasource.url", this::url);
            registry.add("spring.datasource.username", this::username);
            registry.add("spring.datasource.password", this::password);
        }
    }

    /** A new, empty database on the shared server. */
    public static synchronized Database newDatabase() {
        if (server == null) {
            server = start();
        }
        String name = "test_" + DATABASES.incrementAndGet();
        server.create(name);
        return server.database(name);
    }

    private static Server start() {
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
            container.start();
            return new ContainerServer(container);
        }
        try {
            Path data = Files.createTempDirectory("scimgate-test-pg");
            EmbeddedPostgresServer embedded = EmbeddedPostgresServer.start(data.resolve("pgdata"), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
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
