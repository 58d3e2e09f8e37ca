package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.scimgate.genesys.CorrelationQuery;
import org.scimgate.genesys.Correlator;
import org.scimgate.genesys.GenesysSettings;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The relay against a real PostgreSQL and a SIEM played by an HTTP server on loopback. Each test
 * drains until its own decisions are delivered; rows of other tests in the shared database are
 * delivered too, which is harmless, and only this test's decision ids are asserted.
 */
class OutboxRelayTest extends RelayTestSupport {

    @Autowired
    org.scimgate.audit.AuditChain chain;

    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final List<String> receivedInOrder = new CopyOnWriteArrayList<>();

    private void siemUp() {
        siem.respond(request -> {
            for (JsonNode record : json.readTree(request.body())) {
                if (record.has("decisionId")) {
                    received.add(record.get("decisionId").asText());
                    receivedInOrder.add(record.get("decisionId").asText());
                }
            }
            return Response.of(200, "{\"ok\":true}");
        });
    }

    private void siemDown() {
        siem.respond(request -> Response.of(503, "{\"error\":\"maintenance\"}"));
    }

    private OutboxRelay relay(String owner, Duration lease, int maxAttempts, Correlator correlator, Duration maxWait) {
        SiemSettings settings = new SiemSettings(siem.uri(), SiemSettings.Format.JSON, null, null, 20,
                Duration.ofMillis(100), lease, maxAttempts, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5),
                Duration.ofSeconds(5), false, null);
        GenesysSettings genesys = new GenesysSettings("mypurecloud.com", null, null, null, null,
                GenesysSettings.CorrelationSource.AUDIT, Duration.ZERO, maxWait, Duration.ofSeconds(60), Duration.ofSeconds(5));
        CircuitBreaker open = CircuitBreaker.ofDefaults("test-siem-" + owner);
        return new OutboxRelay(outbox, new JsonSink(HttpClient.newHttpClient(), siem.uri(), Duration.ofSeconds(5), open, json),
                correlator, settings, genesys, json, Clock.systemUTC(), owner, new SimpleMeterRegistry());
    }

    private OutboxRelay relay(String owner) {
        return relay(owner, Duration.ofSeconds(60), 100, NO_GENESYS, Duration.ZERO);
    }

    private String outboxStatus(String decisionId) {
        return jdbc.queryForObject("SELECT status FROM siem_outbox WHERE decision_id = ?::uuid", String.class, decisionId);
    }

    @Test
    void redeliversEverythingAfterASiemOutage() throws Exception {
        siemDown();
        List<String> ids = new ArrayList<>(decide(5, "acme.com"));
        ids.addAll(decide(5, "evil.com"));
        OutboxRelay relay = relay("outage");
        relay.drain();
        relay.drain();
        assertThat(received).doesNotContainAnyElementsOf(ids);
        assertThat(ids).allSatisfy(id -> assertThat(outboxStatus(id)).isEqualTo("PENDING"));
        assertThat(jdbc.queryForObject("SELECT min(attempts) FROM siem_outbox WHERE decision_id = ANY(?::uuid[])",
                Integer.class, (Object) ids.toArray(String[]::new))).isGreaterThanOrEqualTo(1);

        siemUp();
        relay.drain();
        assertThat(received).containsAll(ids);
        assertThat(ids).allSatisfy(id -> assertThat(outboxStatus(id)).isEqualTo("DELIVERED"));
        // Rejections are exported too, not only acceptances.
        JsonNode last = json.readTree(siem.requests().get(siem.requests().size() - 1).body());
        assertThat(last.findValuesAsText("outcome")).contains("REJECTED");
    }

    @Test
    void sendsTheTutorialsAuditPayloadWithTheDecisionId() throws Exception {
        siemUp();
        String id = decide(1, "evil.com").get(0);
        relay("payload").drain();
        JsonNode record = null;
        for (LoopbackServer.Request request : siem.requests()) {
            for (JsonNode r : json.readTree(request.body())) {
                if (r.get("decisionId").asText().equals(id)) {
                    record = r;
                }
            }
        }
        assertThat(record).isNotNull();
        assertThat(record.get("source").asText()).isEqualTo("scimgate");
        assertThat(record.get("correlationId").asText()).isEqualTo("UNKNOWN_EVENT");
        assertThat(record.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(record.get("violations").get(0).get("code").asText()).isEqualTo("SCIM_INVALID_EMAIL_DOMAIN");
        assertThat(record.get("eventTimestamp").asText()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(record.has("webhookId")).isTrue();
        assertThat(record.has("rulesetVersion")).isTrue();
        assertThat(record.has("userId")).isTrue();
    }

    @Test
    void redeliversABatchWhoseRelayDiedBetweenSendingAndMarking() throws Exception {
        siemUp();
        List<String> ids = decide(3, "acme.com");
        // A relay claims with a short lease and "dies" after sending, before marking.
        List<OutboxEntry> claimed = outbox.claim("crashed", "default", 1000, Duration.ofMillis(1), Duration.ZERO).entries();
        assertThat(claimed).extracting(e -> e.decisionId().toString()).containsAll(ids);
        Thread.sleep(20); // let the 1 ms lease lapse
        relay("survivor").drain();
        assertThat(received).containsAll(ids);
        assertThat(ids).allSatisfy(id -> assertThat(outboxStatus(id)).isEqualTo("DELIVERED"));
    }

    @Test
    void twoRelaysOnOneDatabaseNeverSendTheSameRow() throws Exception {
        List<String> ids = decide(120, "acme.com");
        Set<String> inFlight = ConcurrentHashMap.newKeySet();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        siem.respond(request -> {
            List<String> batch = new ArrayList<>();
            for (JsonNode record : json.readTree(request.body())) {
                batch.add(record.get("decisionId").asText());
            }
            for (String id : batch) {
                if (!inFlight.add(id)) {
                    overlaps.add(id);
                }
            }
            Thread.sleep(30);
            receivedInOrder.addAll(batch);
            batch.forEach(inFlight::remove);
            return Response.of(200, "{}");
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            OutboxRelay a = relay("relay-a");
            OutboxRelay b = relay("relay-b");
            Future<Integer> fa = pool.submit(a::drain);
            Future<Integer> fb = pool.submit(b::drain);
            assertThat(fa.get() + fb.get()).isGreaterThanOrEqualTo(ids.size());
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).isEmpty();
        List<String> ours = receivedInOrder.stream().filter(ids::contains).toList();
        assertThat(new HashSet<>(ours)).hasSize(ids.size());
        assertThat(ours).hasSize(ids.size());
    }

    @Test
    void marksRecordsDeadAfterTheLimitAndRedrivesThemOnRequest() throws Exception {
        siem.respond(request -> Response.of(500, "{}"));
        String id = decide(1, "acme.com").get(0);
        OutboxRelay relay = relay("dead", Duration.ofSeconds(60), 2, NO_GENESYS, Duration.ZERO);
        relay.drain();
        relay.drain();
        assertThat(outboxStatus(id)).isEqualTo("DEAD");
        mvc.perform(get("/api/v1/outbox").header("Authorization", TestCredentials.OPERATOR).param("status", "DEAD"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.dead").isNumber())
                .andExpect(jsonPath("$.items[?(@.decisionId == '" + id + "')].lastError").isNotEmpty());
        mvc.perform(post("/api/v1/outbox/" + id + "/retry").header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isOk());
        assertThat(outboxStatus(id)).isEqualTo("PENDING");
        mvc.perform(post("/api/v1/outbox/" + id + "/retry").header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isNotFound());

        siemUp();
        relay.drain();
        assertThat(received).contains(id);
        assertThat(outboxStatus(id)).isEqualTo("DELIVERED");
        mvc.perform(post("/api/v1/outbox/retry-dead").header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isOk()).andExpect(jsonPath("$.redriven").isNumber());
    }

    @Test
    void fallsBackToUnknownEventWhenGenesysFindsNothingInTime() throws Exception {
        siemUp();
        List<CorrelationQuery> asked = new CopyOnWriteArrayList<>();
        Correlator nothingFound = new Correlator() {
            @Override
            public Optional<String> correlate(CorrelationQuery query) {
                asked.add(query);
                return Optional.empty();
            }

            @Override
            public boolean enabled() {
                return true;
            }
        };
        String id = decide(1, "acme.com").get(0);
        // Within the maximum wait the record is held back, not sent and not failed.
        relay("waiting", Duration.ofSeconds(60), 100, nothingFound, Duration.ofHours(1)).drain();
        assertThat(received).doesNotContain(id);
        assertThat(outboxStatus(id)).isEqualTo("PENDING");
        owner().update("UPDATE siem_outbox SET next_attempt_at = now() WHERE decision_id = ?::uuid", id);
        // Past the maximum wait it goes out as UNKNOWN_EVENT.
        relay("gave-up", Duration.ofSeconds(60), 100, nothingFound, Duration.ZERO).drain();
        assertThat(received).contains(id);
        assertThat(asked).isNotEmpty();
        assertThat(jdbc.queryForObject("SELECT correlation_id FROM siem_outbox WHERE decision_id = ?::uuid",
                String.class, id)).isEqualTo("UNKNOWN_EVENT");
    }

    @Test
    void releasesWhatItHoldsOnShutdown() throws Exception {
        siemUp();
        List<String> ids = decide(2, "acme.com");
        OutboxRelay stopping = relay("stopping-relay");
        List<OutboxEntry> held = outbox.claim("stopping-relay", "default", 1000, Duration.ofMinutes(10), Duration.ZERO).entries();
        assertThat(held).extracting(e -> e.decisionId().toString()).containsAll(ids);
        stopping.stop();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM siem_outbox WHERE locked_by = 'stopping-relay'", Long.class))
                .isZero();
        assertThat(stopping.drain()).as("a stopped relay starts no new batch").isZero();
        relay("after-shutdown").drain();
        assertThat(received).containsAll(ids);
    }

    @Test
    void exportsTheAuditChainHeadToTheSiem() throws Exception {
        siemUp();
        decide(1, "acme.com");
        chain.seal(10_000);
        JsonSink sink = new JsonSink(HttpClient.newHttpClient(), siem.uri(), Duration.ofSeconds(5),
                CircuitBreaker.ofDefaults("checkpoint"), json);
        RelaySchedule schedule = new RelaySchedule(List.of(relay("checkpoint")), outbox, null, chain,
                new SiemSinks(List.of(new SiemSinks.Named("default", sink, null))), Duration.ofMinutes(5));
        schedule.exportCheckpoint();
        JsonNode checkpoint = json.readTree(siem.requests().get(siem.requests().size() - 1).body()).get(0);
        assertThat(checkpoint.get("type").asText()).isEqualTo("audit-chain-head");
        assertThat(checkpoint.get("hash").asText()).isEqualTo(chain.head().orElseThrow().hash());
        int sent = siem.requests().size();
        schedule.exportCheckpoint();
        assertThat(siem.requests()).as("an unchanged head is not sent again").hasSize(sent);
    }

    @Test
    void carriesTheCorrelationGenesysFound() throws Exception {
        siemUp();
        Correlator found = new Correlator() {
            @Override
            public Optional<String> correlate(CorrelationQuery query) {
                return Optional.of("audit-" + query.userName());
            }

            @Override
            public boolean enabled() {
                return true;
            }
        };
        String id = decide(1, "acme.com").get(0);
        relay("found", Duration.ofSeconds(60), 100, found, Duration.ofHours(1)).drain();
        assertThat(jdbc.queryForObject("SELECT correlation_id FROM siem_outbox WHERE decision_id = ?::uuid",
                String.class, id)).isEqualTo("audit-user0@acme.com");
    }
}
