package org.scimgate.siem;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.scimgate.genesys.CorrelationQuery;
import org.scimgate.genesys.Correlator;
import org.scimgate.genesys.GenesysSettings;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The relay against a real PostgreSQL, with the SIEM and Genesys played by HTTP servers on
 * loopback. The relay classes share one application context and a database of their own: a relay
 * claims every pending row, so no other class's decisions may be in its outbox. Before each test
 * the backlog earlier tests left is delivered, so no test depends on which ran before it; each
 * asserts only its own decision ids.
 */
@ActiveProfiles("test")
@SpringBootTest
@AutoConfigureMockMvc
abstract class RelayTestSupport {

    private static TestPostgres.Database database;

    @DynamicPropertySource
    static void relayDatabase(DynamicPropertyRegistry registry) {
        synchronized (RelayTestSupport.class) {
            if (database == null) {
                database = TestPostgres.newDatabase();
            }
        }
        database.register(registry);
    }

    /** The relay classes' database as its owner: what neither the service nor the relay may do, a test does so. */
    static JdbcTemplate owner() {
        synchronized (RelayTestSupport.class) {
            return database.asOwner();
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    Outbox outbox;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    LoopbackServer siem;

    @BeforeEach
    void startSiem() throws Exception {
        deliverTheBacklog();
        siem = new LoopbackServer();
    }

    /** Delivers every record another test left claimable, so this test's relay sees only its own. */
    private void deliverTheBacklog() throws Exception {
        try (LoopbackServer accepting = new LoopbackServer()) {
            accepting.respond(request -> LoopbackServer.Response.of(200, "{}"));
            siem = accepting;
            OutboxRelay relay = relay("backlog", jsonSink(accepting.uri(), Duration.ofSeconds(5)), Duration.ofSeconds(60),
                    Duration.ofSeconds(5), 12, Duration.ZERO, NO_GENESYS);
            while (relay.drain() > 0) {
                // until nothing is left to claim
            }
        }
    }

    @AfterEach
    void stopSiem() {
        siem.close();
    }

    static final Correlator NO_GENESYS = new Correlator() {
        @Override
        public Optional<String> correlate(CorrelationQuery query) {
            throw new AssertionError("no Genesys call may be made without credentials");
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    OutboxRelay relay(String owner, SiemSink sink, Duration lease, Duration timeout, int maxAttempts,
                              Duration backoff, Correlator correlator) {
        SiemSettings settings = new SiemSettings(siem.uri(), SiemSettings.Format.JSON, null, null, 20,
                Duration.ofMillis(100), lease, maxAttempts, backoff, backoff, Duration.ofMinutes(5), timeout, false, null);
        GenesysSettings genesys = new GenesysSettings("mypurecloud.com", null, null, null, null,
                GenesysSettings.CorrelationSource.AUDIT, Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(60),
                Duration.ofSeconds(5));
        return new OutboxRelay(outbox, sink, correlator, settings, genesys, json, Clock.systemUTC(), owner,
                new SimpleMeterRegistry());
    }

    JsonSink jsonSink(URI endpoint, Duration timeout) {
        return new JsonSink(HttpClient.newHttpClient(), endpoint, timeout,
                CircuitBreaker.ofDefaults("integrity-" + UUID.randomUUID()), json);
    }

    List<String> decide(int count, String domain) throws Exception {
        return decide(mvc, json, count, "user", domain);
    }

    /** {@code count} webhook decisions of new users {@code <prefix><i>@<domain>}, each with a delivery id of its own; their ids. */
    static List<String> decide(MockMvc mvc, ObjectMapper json, int count, String prefix, String domain) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String user = prefix + i + "@" + domain;
            String body = """
                    {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
                     "data":{"id":"%s","userName":"%s","emails":[{"value":"%s","primary":true}]}}"""
                    .formatted(UUID.randomUUID(), user, user);
            String answer = mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK)
                            .contentType(MediaType.APPLICATION_JSON)
                            .header("x-genesys-webhook-id", UUID.randomUUID().toString()).content(body))
                    .andReturn().getResponse().getContentAsString();
            ids.add(json.readTree(answer).get("decisionId").asText());
        }
        return ids;
    }

    Map<String, Object> row(String decisionId) {
        return jdbc.queryForMap("SELECT status, attempts, last_error, locked_by, correlation_id FROM siem_outbox "
                + "WHERE decision_id = ?::uuid", decisionId);
    }

    List<String> decisionIds(String body) throws Exception {
        List<String> ids = new ArrayList<>();
        if (body.startsWith("[")) {
            json.readTree(body).forEach(r -> ids.add(r.path("decisionId").asText()));
        } else {
            for (JsonNode event : json.readerFor(JsonNode.class).<JsonNode>readValues(body).readAll()) {
                ids.add(event.at("/fields/event_id").asText());
            }
        }
        return ids;
    }

}
