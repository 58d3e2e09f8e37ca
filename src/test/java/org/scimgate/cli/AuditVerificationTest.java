package org.scimgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.audit.AuditChain;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestService;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code audit verify} needs the database and nothing else: it runs from any directory; and it trusts
 * nothing stored in that database but the rows.
 */
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

    /**
     * Issue 23, finding 5: the superuser changes a sealed decision's outcome, renames
     * {@code audit_canonical} and puts in its place a function that returns the original bytes for
     * that decision, so the database's own recomputation agrees with the chain. The API (over HTTP)
     * and the command both still report the changed decision, and the replaced function.
     */
    @Test
    void aReplacedCanonicalFunctionHidesNoChangedDecision() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        UUID changed;
        try (ConfigurableApplicationContext service = TestService.start(database, "--scimgate.audit.sealing=false")) {
            changed = UUID.fromString(decide(service, "forged@acme.com"));
            decide(service, "other@acme.com");
            assertThat(service.getBean(AuditChain.class).seal(100)).isEqualTo(2);
            try (Connection c = DriverManager.getConnection(database.url(), database.username(), database.password());
                 Statement sql = c.createStatement()) {
                String original;
                try (ResultSet rs = sql.executeQuery("SELECT encode(audit_canonical(a), 'hex') FROM decision_audit a "
                        + "WHERE decision_id = '" + changed + "'")) {
                    rs.next();
                    original = rs.getString(1);
                }
                sql.execute("ALTER TABLE decision_audit DISABLE TRIGGER USER");
                sql.execute("UPDATE decision_audit SET outcome = 'REJECTED' WHERE decision_id = '" + changed + "'");
                sql.execute("ALTER TABLE decision_audit ENABLE TRIGGER USER");
                sql.execute("ALTER FUNCTION audit_canonical(decision_audit) RENAME TO audit_canonical_sealed");
                sql.execute("CREATE FUNCTION audit_canonical(a decision_audit) RETURNS bytea LANGUAGE sql STABLE AS $$"
                        + " SELECT CASE WHEN a.decision_id = '" + changed + "' THEN decode('" + original + "', 'hex')"
                        + " ELSE audit_canonical_sealed(a) END $$");
                try (ResultSet rs = sql.executeQuery("SELECT bool_and(sha256(c.prev_hash || audit_canonical(a)) = c.row_hash) "
                        + "FROM audit_chain c JOIN decision_audit a USING (decision_id)")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("the database's own recomputation is fooled").isTrue();
                }
            }

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            TestService.uri(service, "/api/v1/audit/verify"))
                    .header("Authorization", TestCredentials.OPERATOR).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
            assertThat(answer.body()).contains("\"intact\":false")
                    .contains("{\"position\":1,\"decisionId\":\"" + changed + "\",\"problem\":\"the decision was changed after it was sealed\"}")
                    .contains("function audit_canonical differs from its definition in R__audit_canonical_row.sql");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AuditVerification.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), java.util.Map.<String, String>of()::get,
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--scimgate.policy.rules-dir=" + elsewhere.resolve("no-rules"));
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("BROKEN at position 1 (decision " + changed + "): the decision was changed after it was sealed")
                .contains("SEALING CHANGED: function audit_canonical differs from its definition in R__audit_canonical_row.sql")
                .contains("Audit chain BROKEN: 1 breaks");
    }

    /** Posts a compliant user to the webhook and returns the id of the decision recorded. */
    private static String decide(ConfigurableApplicationContext service, String userName) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        TestService.uri(service, "/webhook/scim-validation"))
                .header("Content-Type", "application/json").header("Authorization", TestCredentials.WEBHOOK)
                .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"eventType":"user.created","data":{"userName":"%s","emails":[{"value":"%s","primary":true}]}}"""
                        .formatted(userName, userName)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return service.getBean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject(
                "SELECT decision_id::text FROM decision_audit WHERE user_name = ?", String.class, userName);
    }
}
