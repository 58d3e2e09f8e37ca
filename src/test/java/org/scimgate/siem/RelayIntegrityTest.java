package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scimgate.genesys.CorrelationQuery;
import org.scimgate.genesys.Correlator;
import org.scimgate.genesys.GenesysSettings;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.StallingServer;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/**
 * What the SIEM export guarantees when things go wrong, on a real PostgreSQL with the SIEM and
 * Genesys played by HTTP servers on loopback: a SIEM that refuses one record, a SIEM that refuses
 * our token, a SIEM that stalls mid-body, two relays with a slow Genesys and a short lease, and a
 * relay whose lease was taken over. Only this test's decision ids are asserted.
 */
@SpringBootTest
@AutoConfigureMockMvc
class RelayIntegrityTest extends PostgresTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    Outbox outbox;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    private LoopbackServer siem;

    @BeforeEach
    void startSiem() throws Exception {
        siem = new LoopbackServer();
    }

    @AfterEach
    void stopSiem() {
        siem.close();
    }

    private static final Correlator NO_GENESYS = new Correlator() {
        @Override
        public Optional<String> correlate(CorrelationQuery query) {
            throw new AssertionError("no Genesys call may be made without credentials");
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    private OutboxRelay relay(String owner, SiemSink sink, Duration lease, Duration timeout, int maxAttempts,
                              Duration backoff, Correlator correlator) {
        SiemSettings settings = new SiemSettings(siem.uri(), SiemSettings.Format.JSON, null, null, 20,
                Duration.ofMillis(100), lease, maxAttempts, backoff, backoff, Duration.ofMinutes(5), timeout, false, null);
        GenesysSettings genesys = new GenesysSettings("mypurecloud.com", null, null, null, null,
                GenesysSettings.CorrelationSource.AUDIT, Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(60),
                Duration.ofSeconds(5));
        return new OutboxRelay(outbox, sink, correlator, settings, genesys, json, Clock.systemUTC(), owner,
                new SimpleMeterRegistry());
    }

    private JsonSink jsonSink(URI endpoint, Duration timeout) {
        return new JsonSink(HttpClient.newHttpClient(), endpoint, timeout,
                CircuitBreaker.ofDefaults("integrity-" + UUID.randomUUID()), json);
    }

    private List<String> decide(int count, String domain) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String body = """
                    {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
                     "data":{"id":"%s","userName":"user%d@%s","emails":[{"value":"user%d@%s","primary":true}]}}"""
                    .formatted(UUID.randomUUID(), i, domain, i, domain);
            String answer = mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK)
                            .contentType(MediaType.APPLICATION_JSON)
                            .header("x-genesys-webhook-id", UUID.randomUUID().toString()).content(body))
                    .andReturn().getResponse().getContentAsString();
            ids.add(json.readTree(answer).get("decisionId").asText());
        }
        return ids;
    }

    private Map<String, Object> row(String decisionId) {
        return jdbc.queryForMap("SELECT status, attempts, last_error, locked_by, correlation_id FROM siem_outbox "
                + "WHERE decision_id = ?::uuid", decisionId);
    }

    private List<String> decisionIds(String body) throws Exception {
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

    @Test
    void onlyTheRecordTheSiemRefusesGoesDeadAndTheRestOfItsBatchIsDelivered() throws Exception {
        List<String> ids = decide(20, "acme.com");
        String refused = ids.get(7);
        List<String> accepted = new CopyOnWriteArrayList<>();
        siem.respond(request -> {
            List<String> batch = decisionIds(request.body());
            if (batch.contains(refused)) {
                return Response.of(400, "{\"text\":\"Invalid data format\",\"code\":6}");
            }
            accepted.addAll(batch);
            return Response.of(200, "{\"text\":\"Success\",\"code\":0}");
        });
        SplunkHecSink hec = new SplunkHecSink(HttpClient.newHttpClient(), siem.uri(), Duration.ofSeconds(5),
                CircuitBreaker.ofDefaults("integrity-hec"), json, "hec-token");
        relay("bisecting", hec, Duration.ofSeconds(60), Duration.ofSeconds(5), 12, Duration.ZERO, NO_GENESYS).drain();

        List<String> good = ids.stream().filter(id -> !id.equals(refused)).toList();
        assertThat(accepted.stream().filter(ids::contains).toList()).containsExactlyInAnyOrderElementsOf(good);
        assertThat(good).allSatisfy(id -> assertThat(row(id).get("status")).isEqualTo("DELIVERED"));
        Map<String, Object> dead = row(refused);
        assertThat(dead.get("status")).isEqualTo("DEAD");
        assertThat((String) dead.get("last_error")).contains("400").contains("Invalid data format");
    }

    @Test
    void aServerErrorRetriesTheWholeBatchWithoutSplittingIt() throws Exception {
        List<String> ids = decide(5, "acme.com");
        siem.respond(request -> Response.of(503, "{\"error\":\"maintenance\"}"));
        relay("server-error", jsonSink(siem.uri(), Duration.ofSeconds(5)), Duration.ofSeconds(60), Duration.ofSeconds(5),
                12, Duration.ofHours(1), NO_GENESYS).drain();

        List<List<String>> sent = new ArrayList<>();
        for (LoopbackServer.Request request : siem.requests()) {
            List<String> ours = decisionIds(request.body()).stream().filter(ids::contains).toList();
            if (!ours.isEmpty()) {
                sent.add(ours);
            }
        }
        assertThat(sent).as("one request with the whole batch, never a part of it").hasSize(1);
        assertThat(sent.get(0)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ids).allSatisfy(id -> {
            assertThat(row(id).get("status")).isEqualTo("PENDING");
            assertThat(row(id).get("attempts")).isEqualTo(1);
            assertThat((String) row(id).get("last_error")).contains("503");
        });
    }

    @Test
    void aSiemRefusingOurTokenDeadLettersNothingAndShowsUntilItAccepts() throws Exception {
        List<String> ids = decide(3, "acme.com");
        siem.respond(request -> Response.of(401, "{\"text\":\"Invalid token\",\"code\":4}"));
        OutboxRelay relay = relay("wrong-token", jsonSink(siem.uri(), Duration.ofSeconds(5)), Duration.ofSeconds(60),
                Duration.ofSeconds(5), 1, Duration.ZERO, NO_GENESYS);
        relay.drain();
        relay.drain();
        assertThat(ids).allSatisfy(id -> {
            assertThat(row(id).get("status")).as("a wrong token is no record's fault").isEqualTo("PENDING");
            assertThat(row(id).get("attempts")).isEqualTo(0);
            assertThat((String) row(id).get("last_error")).contains("401");
        });
        assertThat(relay.setupRefused()).hasValueSatisfying(r -> assertThat(r.answer()).contains("401"));

        List<String> received = new CopyOnWriteArrayList<>();
        siem.respond(request -> {
            received.addAll(decisionIds(request.body()));
            return Response.of(200, "{}");
        });
        relay.drain();
        assertThat(received).containsAll(ids);
        assertThat(relay.setupRefused()).isEmpty();
    }

    @Test
    void aRelayWhoseLeaseWasTakenOverCannotMarkAnything() throws Exception {
        List<String> ids = decide(2, "acme.com");
        Outbox.Claimed first = outbox.claim("fenced-a", 1000, Duration.ofMillis(1), Duration.ZERO);
        Thread.sleep(20); // the 1 ms lease lapses
        Outbox.Claimed second = outbox.claim("fenced-b", 1000, Duration.ofSeconds(60), Duration.ZERO);
        try {
            List<UUID> ours = ids.stream().map(UUID::fromString).toList();
            assertThat(first.entries()).extracting(OutboxEntry::decisionId).containsAll(ours);
            assertThat(second.entries()).extracting(OutboxEntry::decisionId).containsAll(ours);
            assertThat(second.token()).isNotEqualTo(first.token());

            String a = first.owner();
            assertThat(outbox.renew(a, first.token(), ours, Duration.ofSeconds(60))).isEmpty();
            assertThat(outbox.correlated(a, first.token(), ours.get(0), "stale")).isFalse();
            assertThat(outbox.delivered(a, first.token(), Map.of(ours.get(0), "x", ours.get(1), "y"))).isZero();
            assertThat(outbox.failed(a, first.token(), ours, "stale", 1, Duration.ZERO, Duration.ZERO)).isZero();
            assertThat(outbox.refused(a, first.token(), ours, "stale")).isZero();
            assertThat(outbox.defer(a, first.token(), ours, Instant.now().plusSeconds(3600), "stale")).isZero();
            // The same owner with an old token is fenced too: the token, not only the name, is the lease.
            assertThat(outbox.delivered("fenced-b", first.token(), Map.of(ours.get(0), "x"))).isZero();
            assertThat(ids).allSatisfy(id -> {
                assertThat(row(id)).containsEntry("status", "PENDING").containsEntry("locked_by", "fenced-b")
                        .containsEntry("attempts", 0);
                assertThat(row(id).get("correlation_id")).isNull();
            });

            Map<UUID, String> correlations = new java.util.HashMap<>();
            ours.forEach(id -> correlations.put(id, "UNKNOWN_EVENT"));
            assertThat(outbox.delivered("fenced-b", second.token(), correlations)).isEqualTo(2);
        } finally {
            outbox.release("fenced-b");
        }
    }

    @Test
    void aRelayLeavesOutOfItsSendTheRecordsAnotherRelayTookOverWhileItWorked() throws Exception {
        String domain = "taken-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        List<String> ids = decide(3, domain);
        List<String> received = new CopyOnWriteArrayList<>();
        siem.respond(request -> {
            received.addAll(decisionIds(request.body()));
            return Response.of(200, "{}");
        });
        Correlator pausesOnTheLast = new Correlator() {
            @Override
            public Optional<String> correlate(CorrelationQuery query) {
                if (query.userName() == null || !query.userName().endsWith("@" + domain)) {
                    return Optional.of("not-this-test");
                }
                if (query.userName().startsWith("user2@")) {
                    // As if the relay paused past its lease: the lease runs out and another relay claims the rows.
                    try {
                        Thread.sleep(1100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    jdbc.update("UPDATE siem_outbox SET locked_until = now() - interval '1 second' "
                            + "WHERE decision_id = ANY(?::uuid[])", (Object) ids.toArray(String[]::new));
                    outbox.claim("taker", 1000, Duration.ofMinutes(1), Duration.ZERO);
                }
                return Optional.of("audit-" + query.userName());
            }

            @Override
            public boolean enabled() {
                return true;
            }
        };
        try {
            relay("paused", jsonSink(siem.uri(), Duration.ofSeconds(5)), Duration.ofSeconds(60), Duration.ofSeconds(5),
                    12, Duration.ZERO, pausesOnTheLast).drain();
            assertThat(received).as("records whose lease was lost are not sent").doesNotContainAnyElementsOf(ids);
            assertThat(ids).allSatisfy(id -> assertThat(row(id)).containsEntry("status", "PENDING")
                    .containsEntry("locked_by", "taker"));
            assertThat((String) row(ids.get(0)).get("correlation_id")).as("stored while the lease held")
                    .isEqualTo("audit-user0@" + domain);
            assertThat(row(ids.get(2)).get("correlation_id")).as("not stored once the lease was lost").isNull();
        } finally {
            outbox.release("taker");
        }
    }

    @Test
    @Timeout(60)
    void aSiemThatStallsMidBodyIsGivenUpOnAndShutdownCompletes() throws Exception {
        List<String> ids = decide(2, "acme.com");
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (StallingServer stalling = new StallingServer()) {
            OutboxRelay relay = relay("stalled", jsonSink(stalling.uri(), Duration.ofMillis(500)), Duration.ofSeconds(3),
                    Duration.ofMillis(500), 12, Duration.ofHours(1), NO_GENESYS);
            Future<Integer> draining = thread.submit(relay::drain);
            await().atMost(Duration.ofSeconds(30)).until(() -> stalling.requests() > 0);
            relay.stop();
            assertThat(draining.get()).isZero();
        } finally {
            thread.shutdownNow();
        }
        assertThat(ids).allSatisfy(id -> {
            assertThat(row(id).get("status")).isEqualTo("PENDING");
            assertThat(row(id).get("attempts")).as("the stalled send counts as a failed attempt, to be retried").isEqualTo(1);
            assertThat((String) row(id).get("last_error")).contains("no complete answer");
            assertThat(row(id).get("locked_by")).isNull();
        });
    }

    @Test
    @Timeout(180)
    void twoRelaysWithASlowGenesysAndAShortLeaseSendEachDecisionOnceAndAskGenesysOnce() throws Exception {
        String domain = "slow-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
        List<String> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger siemCalls = new AtomicInteger();
        try (LoopbackServer genesys = new LoopbackServer()) {
            genesys.respond(request -> {
                String userName = json.readTree(request.body()).path("userName").asText();
                lookups.computeIfAbsent(userName, u -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(400);
                return Response.of(200, "{\"id\":\"audit-" + userName + "\"}");
            });
            siem.respond(request -> {
                if (siemCalls.incrementAndGet() == 1) {
                    return Response.of(503, "{}"); // the first batch is retried: without asking Genesys again
                }
                accepted.addAll(decisionIds(request.body()));
                return Response.of(200, "{}");
            });
            Correlator slow = slowGenesys(genesys.uri(), domain);
            List<String> ids = decide(30, domain);
            Set<String> ours = Set.copyOf(ids);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> relays = new ArrayList<>();
                for (String owner : List.of("slow-a", "slow-b")) {
                    OutboxRelay relay = relay(owner, jsonSink(siem.uri(), Duration.ofSeconds(1)), Duration.ofSeconds(3),
                            Duration.ofSeconds(1), 12, Duration.ZERO, slow);
                    relays.add(pool.submit(() -> {
                        while (!accepted.containsAll(ours)) {
                            relay.drain();
                            Thread.sleep(50);
                        }
                        return null;
                    }));
                }
                for (Future<?> relay : relays) {
                    relay.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(accepted.stream().filter(ours::contains).toList()).as("each decision once at the SIEM")
                    .hasSize(ids.size()).doesNotHaveDuplicates();
            assertThat(lookups).as("Genesys asked once per decision").hasSize(ids.size())
                    .allSatisfy((user, count) -> assertThat(count.get()).as(user).isOne());
            assertThat(ids).allSatisfy(id -> assertThat((String) row(id).get("correlation_id")).startsWith("audit-user"));
        }
    }

    /** Asks a Genesys on loopback for this test's users; other tests' records are not looked up. */
    private Correlator slowGenesys(URI genesys, String domain) {
        HttpClient http = HttpClient.newHttpClient();
        return new Correlator() {
            @Override
            public Optional<String> correlate(CorrelationQuery query) {
                if (query.userName() == null || !query.userName().endsWith("@" + domain)) {
                    return Optional.of("not-this-test");
                }
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(genesys.resolve("/api/v2/audits/query/realtime"))
                            .POST(HttpRequest.BodyPublishers.ofString(json.createObjectNode()
                                    .put("userName", query.userName()).toString())).build(), HttpResponse.BodyHandlers.ofString());
                    return Optional.of(json.readTree(answer.body()).get("id").asText());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public boolean enabled() {
                return true;
            }
        };
    }
}
