package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.POJONode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The decision log when the database misbehaves: a row it refuses, a table it keeps locked, a
 * writer that hits an Error. Every answer must still be true: 200 and 400 only with their audit
 * row, 503 only when nothing was recorded. Its own database, since the tests alter the table.
 */
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DecisionLogUnderPressureTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestPostgres.Database database;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DecisionLog log;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        database = TestPostgres.newDatabase();
        database.register(registry);
        registry.add("scimgate.audit.log.queue-capacity", () -> "20");
        registry.add("scimgate.audit.log.answer-within", () -> "1s");
        registry.add("scimgate.audit.log.write-timeout", () -> "2s");
    }

    record Answer(String deliveryId, int status, JsonNode body) {
    }

    private Answer deliver(String userName) throws Exception {
        String id = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook/scim-validation"))
                .header("Authorization", TestCredentials.WEBHOOK).header("Content-Type", "application/json")
                .header("x-genesys-webhook-id", id)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"eventType":"user.created","data":{"userName":"%s","emails":[{"value":"%s","primary":true}],
                         "department":"Engineering","costCenter":"CC-1234"}}""".formatted(userName, userName))).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(id, response.statusCode(), JSON.readTree(response.body()));
    }

    private int rowsFor(String deliveryId) {
        return jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE delivery_id = ?", Integer.class, deliveryId);
    }

    @Test
    void onlyTheRowPostgresRefusesFailsAndItsCallerGetsA400NamingTheField() throws Exception {
        database.asOwner().execute("ALTER TABLE decision_audit ADD CONSTRAINT refuse_poison "
                + "CHECK (user_name IS DISTINCT FROM 'poison@acme.com') NOT VALID");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Answer>> compliant = new ArrayList<>();
            List<Future<Answer>> poison = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                String name = "pressure-" + i + "@acme.com";
                compliant.add(pool.submit(() -> deliver(name)));
                if (i % 50 == 25) {
                    poison.add(pool.submit(() -> deliver("poison@acme.com")));
                }
            }
            for (Future<Answer> f : compliant) {
                Answer a = f.get();
                assertThat(a.status()).isEqualTo(200);
                assertThat(rowsFor(a.deliveryId())).isEqualTo(1);
            }
            for (Future<Answer> f : poison) {
                Answer a = f.get();
                assertThat(a.status()).isEqualTo(400);
                assertThat(a.body().get("errorCode").asText()).isEqualTo("UNSTORABLE_INPUT");
                assertThat(a.body().get("detail").asText()).contains("refuse_poison");
                assertThat(jdbc.queryForObject("SELECT outcome || ':' || http_status FROM decision_audit "
                        + "WHERE decision_id = ?::uuid", String.class, a.body().get("decisionId").asText()))
                        .as("the refusal itself is recorded").isEqualTo("MALFORMED:400");
            }
        } finally {
            pool.shutdownNow();
            database.asOwner().execute("ALTER TABLE decision_audit DROP CONSTRAINT refuse_poison");
        }
    }

    @Test
    void aDecisionWhoseCallerWasAnswered503IsNeverRecorded() throws Exception {
        List<Answer> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try (Connection owner = DriverManager.getConnection(database.url(), database.username(), database.password())) {
            owner.setAutoCommit(false);
            try (Statement lock = owner.createStatement()) {
                lock.execute("LOCK TABLE decision_audit IN EXCLUSIVE MODE");
            }
            List<Future<Answer>> pending = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String name = "locked-" + i + "@acme.com";
                pending.add(pool.submit(() -> deliver(name)));
            }
            // Every caller stops waiting (1 s), every claimed group hits its statement timeout (2 s)
            // while the table is locked; release it only after all of them have been answered.
            for (Future<Answer> f : pending) {
                answers.add(f.get());
            }
            owner.rollback();
        } finally {
            pool.shutdownNow();
        }
        Answer after = deliver("after-the-lock@acme.com");
        assertThat(after.status()).as("the writers are still working").isEqualTo(200);
        // Every group a writer held when the lock went is finished (committed or failed): only then
        // can "never recorded" be checked, as no write of those decisions is still to come.
        await().atMost(Duration.ofSeconds(60)).until(() -> log.waiting() == 0
                && log.writers().stream().allMatch(w -> w.busySince() == null));
        for (Answer a : answers) {
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.body().get("errorCode").asText()).isEqualTo("AUDIT_UNAVAILABLE");
            assertThat(rowsFor(a.deliveryId())).as("a 503 means nothing was recorded").isZero();
        }
    }

    @Test
    void aWriterSurvivesAnErrorAndReadinessSaysSo() throws Exception {
        for (int i = 0; i < 4; i++) {
            DecisionRecord poisoned = new DecisionRecord(DecisionIds.next(), Instant.now(), "webhook", "user.created",
                    null, null, "test:" + UUID.randomUUID(), null, "oom@acme.com", "ACCEPTED", 200, null, null, "v",
                    null, null, new POJONode(new ThrowsOnSerialisation()), "{}", null, null);
            assertThatThrownBy(() -> log.record(poisoned)).isInstanceOf(DataAccessException.class);
        }
        assertThat(deliver("after-the-error@acme.com").status()).isEqualTo(200);
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .header("Authorization", TestCredentials.OPERATOR).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode decisionLog = JSON.readTree(health.body()).at("/components/decisionLog");
        assertThat(decisionLog.get("status").asText()).isEqualTo("UP");
        assertThat(decisionLog.at("/details/writersAlive").asInt()).isEqualTo(decisionLog.at("/details/writers").asInt());
    }

    /** A payload whose serialisation throws an Error, as running out of memory would. */
    static final class ThrowsOnSerialisation {
        public String getValue() {
            throw new OutOfMemoryError("simulated while serialising a decision");
        }
    }
}
