package org.scimgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.TestPostgres;

/** {@code audit verify} needs the database and nothing else: it runs from any directory. */
class AuditVerificationTest {

    @TempDir
    Path elsewhere;

    @Test
    void verifiesTheChainWhereNoRulesDirectoryExists() {
        TestPostgres.Database database = TestPostgres.newDatabase();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AuditVerification.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), java.util.Map.<String, String>of()::get,
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                // only to create the schema of this fresh database
                "--spring.flyway.enabled=true",
                "--scimgate.policy.rules-dir=" + elsewhere.resolve("no-rules"));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Audit chain intact");
    }
}
