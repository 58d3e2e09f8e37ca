package org.scimgate.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of Spring tests that run on a real PostgreSQL. Subclasses with the same configuration
 * share one application context and one database; the audit table is append-only, so tests look
 * only at rows they created.
 */
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
        TestCredentials.register(registry);
        // Tests drive the relay themselves; nothing is written below the working directory.
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> System.getProperty("java.io.tmpdir") + "/scimgate-test-siem.ndjson");
    }
}
