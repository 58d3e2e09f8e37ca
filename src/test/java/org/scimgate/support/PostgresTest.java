package org.scimgate.support;

import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of Spring tests that run on a real PostgreSQL. Subclasses with the same configuration
 * share one application context and one database; the audit table is append-only, so tests look
 * only at rows they created. They run with the {@code test} profile ({@code application-test.yml}),
 * on a random port with MockMvc as well, so that tests over HTTP and through MockMvc share that
 * one context: a subclass that declares its own {@code @SpringBootTest} or properties starts
 * another, so do that only for a setting the shared service cannot have. The service connects as
 * the application role; {@link #owner()} is the schema's owner, for what only the owner may do.
 */
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
public abstract class PostgresTest {

    private static TestPostgres.Database database;

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        synchronized (PostgresTest.class) {
            if (database == null) {
                database = TestPostgres.newDatabase();
            }
        }
        database.register(registry);
    }

    /** The shared database as its owner (the service connects as the application role). */
    protected static JdbcTemplate owner() {
        synchronized (PostgresTest.class) {
            return database.asOwner();
        }
    }
}
