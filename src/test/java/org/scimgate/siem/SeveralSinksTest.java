package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scimgate.genesys.Correlator;
import org.scimgate.genesys.GenesysSettings;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Three sinks at once, configured as an operator does ({@code SIEM_SINKS=alpha,beta,archive}): two
 * SIEMs played by HTTP servers on loopback and an NDJSON file, over a real PostgreSQL of this class's
 * own. Each sink gets every decision and keeps its own delivery state: one that is down, or that
 * dead-letters a record, holds back and changes nothing of another's. The relays run only when a
 * test drains them.
 */
@ActiveProfiles("test")
@SpringBootTest
@AutoConfigureMockMvc
class SeveralSinksTest {

    private static final LoopbackServer ALPHA = server();
    private static final LoopbackServer BETA = server();
    private static final Path ARCHIVE;
    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase();

    static {
        try {
            ARCHIVE = Files.createTempDirectory("several-sinks").resolve("archive.ndjson");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void sinks(DynamicPropertyRegistry registry) {
        DATABASE.register(registry);
        registry.add("scimgate.siem.sink-names", () -> "alpha,beta,archive");
        registry.add("scimgate.siem.sinks.alpha.format", () -> "json");
        registry.add("scimgate.siem.sinks.alpha.endpoint", () -> ALPHA.uri().toString());
        registry.add("scimgate.siem.sinks.beta.format", () -> "json");
        registry.add("scimgate.siem.sinks.beta.endpoint", () -> BETA.uri().toString());
        registry.add("scimgate.siem.sinks.archive.format", () -> "file");
        registry.add("scimgate.siem.sinks.archive.file", ARCHIVE::toString);
        // The relays are configured and name their sinks at start, but run only when a test drains them.
        registry.add("scimgate.siem.relay-enabled", () -> "true");
        registry.add("scimgate.siem.poll-interval", () -> "1h");
        registry.add("scimgate.audit.checkpoint-interval", () -> "1h");
        registry.add("scimgate.siem.backoff", () -> "0s");
        registry.add("scimgate.siem.max-backoff", () -> "0s");
        registry.add("scimgate.siem.max-attempts", () -> "3");
        registry.add("scimgate.siem.stale-after", () -> "1s");
        registry.add("resilience4j.circuitbreaker.instances.siem.minimum-number-of-calls", () -> "1000");
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Outbox outbox;
    @Autowired
    OutboxRelays relays;
    @Autowired
    RelaySchedule schedule;
    @Autowired
    MeterRegistry meters;

    /** Every decision id each sink received, and how many times. */
    private final Map<String, Map<String, AtomicInteger>> received = new ConcurrentHashMap<>();

    @AfterAll
    static void stopServers() {
        ALPHA.close();
        BETA.close();
    }

    @BeforeEach
    void sinksUpAndEmpty() throws Exception {
        up(ALPHA, "alpha");
        up(BETA, "beta");
        outbox.configureSinks(List.of("alpha", "beta", "archive"));
        drainEach();
        received.clear();
    }

    @Test
    void aSinkThatIsDownHoldsBackOnlyItselfAndCatchesUpWithEveryRecordWhenItIsBack() throws Exception {
        down(BETA);
        List<String> ids = decide(7);

        // The sink that is down is tried first: its failure must not keep the others from delivering.
        assertThat(relay("beta").drain()).isZero();
        relay("alpha").drain();
        relay("archive").drain();

        assertThat(received("alpha")).containsAll(ids);
        assertThat(archived()).containsAll(ids);
        for (String id : ids) {
            assertThat(statusOf(id, "alpha")).as("alpha's entry of " + id).isEqualTo("DELIVERED");
            assertThat(statusOf(id, "archive")).as("archive's entry of " + id).isEqualTo("DELIVERED");
            Map<String, Object> beta = entry(id, "beta");
            assertThat(beta.get("status")).as("beta's entry of " + id).isEqualTo("PENDING");
            assertThat((Integer) beta.get("attempts")).isEqualTo(1);
            assertThat((String) beta.get("last_error")).contains("503");
        }

        up(BETA, "beta");
        relay("beta").drain();
        assertThat(received("beta")).containsAll(ids);
        ids.forEach(id -> assertThat(statusOf(id, "beta")).isEqualTo("DELIVERED"));
    }

    @Test
    void aRecordDeadInOneSinkIsDeliveredToTheOthersAndReDrivenForThatSinkAlone() throws Exception {
        down(BETA);
        List<String> ids = decide(3);
        for (int attempt = 0; attempt < 3; attempt++) {
            relay("beta").drain();
        }
        relays.drain();

        for (String id : ids) {
            assertThat(statusOf(id, "beta")).isEqualTo("DEAD");
            assertThat(statusOf(id, "alpha")).isEqualTo("DELIVERED");
            assertThat(statusOf(id, "archive")).isEqualTo("DELIVERED");
        }
        assertThat(received("alpha")).containsAll(ids);

        // Dead in alpha too: alpha refuses a record itself (a 400 for a batch of one).
        List<String> more = decide(2);
        ALPHA.respond(request -> {
            if (request.body().contains(more.get(0))) {
                return Response.of(400, "{\"text\":\"Invalid data format\",\"code\":6}");
            }
            record(request, "alpha");
            return Response.of(200, "{}");
        });
        relay("alpha").drain();
        assertThat(statusOf(more.get(0), "alpha")).isEqualTo("DEAD");
        assertThat(statusOf(more.get(1), "alpha")).isEqualTo("DELIVERED");
        relay("archive").drain();
        assertThat(statusOf(more.get(0), "archive")).as("alpha's refusal is alpha's alone").isEqualTo("DELIVERED");

        // The operator re-drives beta's DEAD records only: alpha's DEAD record stays DEAD.
        mvc.perform(post("/api/v1/outbox/retry-dead").param("sink", "beta")
                        .header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isOk()).andExpect(jsonPath("$.redriven").value(3));
        assertThat(statusOf(more.get(0), "alpha")).isEqualTo("DEAD");
        ids.forEach(id -> assertThat(statusOf(id, "beta")).isEqualTo("PENDING"));
        // One record re-driven for alpha alone, by the API.
        mvc.perform(post("/api/v1/outbox/{id}/retry", more.get(0)).param("sink", "alpha")
                        .header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isOk());
        assertThat(statusOf(more.get(0), "alpha")).isEqualTo("PENDING");

        up(ALPHA, "alpha");
        up(BETA, "beta");
        relays.drain();
        assertThat(received("beta")).containsAll(ids).containsAll(more);
        assertThat(received("alpha")).contains(more.get(0));
    }

    @Test
    void twoRelaysPerSinkRacingLoseNoRecordOfAnySink() throws Exception {
        List<String> ids = decide(40);
        List<OutboxRelay> racing = new ArrayList<>();
        for (SiemSinks.Named named : sinks.all()) {
            racing.add(relayOf(named, "instance-a/" + named.name()));
            racing.add(relayOf(named, "instance-b/" + named.name()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(racing.size());
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (OutboxRelay relay : racing) {
                runs.add(pool.submit(relay::drain));
            }
            for (Future<Integer> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        relays.drain();
        for (String sink : List.of("alpha", "beta")) {
            assertThat(received(sink)).as(sink).containsAll(ids);
            long duplicates = ids.stream().filter(id -> received.get(sink).get(id).get() > 1).count();
            System.out.printf("sink %s: %d of %d records received more than once%n", sink, duplicates, ids.size());
        }
        List<String> archived = archived();
        assertThat(archived).containsAll(ids);
        System.out.printf("sink archive: %d duplicate lines%n", archived.size() - new HashSet<>(archived).size());
        ids.forEach(id -> List.of("alpha", "beta", "archive")
                .forEach(sink -> assertThat(statusOf(id, sink)).as(sink + " " + id).isEqualTo("DELIVERED")));
    }

    @Test
    void healthAndMetricsShowEachSinkApartAndOnlyTheSinkThatIsBehindWarns() throws Exception {
        down(BETA);
        List<String> ids = decide(2);
        relays.drain();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            schedule.refreshStats();
            assertThat(schedule.sinkStats("beta").oldestPendingAge()).isGreaterThan(Duration.ofSeconds(1));
        });
        mvc.perform(get("/actuator/health/relay").header("Authorization", TestCredentials.OPERATOR))
                .andExpect(jsonPath("$.status").value("WARNING"))
                .andExpect(jsonPath("$.details.sinks.beta.status").value("WARNING"))
                .andExpect(jsonPath("$.details.sinks.beta.pending").value(ids.size()))
                .andExpect(jsonPath("$.details.sinks.beta.lastError").value(containsString("503")))
                .andExpect(jsonPath("$.details.sinks.alpha.status").value("UP"))
                .andExpect(jsonPath("$.details.sinks.alpha.pending").value(0))
                .andExpect(jsonPath("$.details.sinks.archive.status").value("UP"));
        assertThat(meters.get("scimgate.outbox.backlog").tag("sink", "beta").gauge().value()).isEqualTo(ids.size());
        assertThat(meters.get("scimgate.outbox.backlog").tag("sink", "alpha").gauge().value()).isZero();
        assertThat(meters.get("scimgate.siem.deliveries").tag("sink", "alpha").counter().count()).isPositive();

        mvc.perform(get("/api/v1/outbox").param("status", "PENDING").param("sink", "beta")
                        .header("Authorization", TestCredentials.OPERATOR))
                .andExpect(jsonPath("$.sinks.beta.pending").value(ids.size()))
                .andExpect(jsonPath("$.sinks.alpha.pending").value(0))
                .andExpect(jsonPath("$.items[0].sink").value("beta"));
        String page = mvc.perform(get("/console/outbox").with(user("operator").roles("operator")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("data-sink=\"beta\"", "<span class=\"sink-pending\">" + ids.size() + "</span>",
                "<td>beta</td>").doesNotContain("<td>alpha</td>");
        up(BETA, "beta");
        relays.drain();
    }

    @Test
    void aSinkAddedLaterGetsNewRecordsOnlyAndARemovedSinksEntriesWaitWithoutHoldingBackTheOthers() throws Exception {
        down(BETA);
        List<String> before = decide(2);
        try {
            // The relays are configured without beta now, and with a new sink, gamma.
            assertThat(outbox.configureSinks(List.of("alpha", "archive", "gamma"))).containsExactly("gamma");
            List<String> after = decide(2);
            for (String id : before) {
                assertThat(entry(id, "gamma")).as("a sink added later gets no history").isNull();
                assertThat(statusOf(id, "beta")).isEqualTo("PENDING");
            }
            for (String id : after) {
                assertThat(statusOf(id, "gamma")).isEqualTo("PENDING");
                assertThat(entry(id, "beta")).as("a removed sink gets no new records").isNull();
            }
            relay("alpha").drain();
            assertThat(received("alpha")).containsAll(before).containsAll(after);
            schedule.refreshStats();
            assertThat(schedule.sinkStats()).containsKeys("beta", "gamma");
            assertThat(schedule.sinkStats().get("beta").active()).isFalse();
            // This instance is still configured with beta and without gamma, as an instance that has not
            // restarted with the new configuration is: health says so, each sink apart.
            mvc.perform(get("/actuator/health/relay").header("Authorization", TestCredentials.OPERATOR))
                    .andExpect(jsonPath("$.details.sinks.beta.receivesNewRecords").value(false))
                    .andExpect(jsonPath("$.details.sinks.beta.pending").value(before.size()))
                    .andExpect(jsonPath("$.details.sinks.alpha.receivesNewRecords").value(true))
                    .andExpect(jsonPath("$.details.unconfiguredSinks.gamma.pending").value(after.size()));
        } finally {
            outbox.configureSinks(List.of("alpha", "beta", "archive"));
            // gamma is no longer configured; its entries stay, reported, and hold nothing back.
        }
        up(BETA, "beta");
        relay("beta").drain();
        assertThat(received("beta")).as("a sink named again resumes its waiting entries").containsAll(before);
    }

    // --- helpers

    @Autowired
    SiemSinks sinks;
    @Autowired
    Correlator correlator;
    @Autowired
    GenesysSettings genesys;

    private OutboxRelay relayOf(SiemSinks.Named named, String owner) {
        return new OutboxRelay(outbox, named.name(), named.sink(), correlator, named.settings(), genesys, json,
                Clock.systemUTC(), owner, meters);
    }

    private OutboxRelay relay(String sink) {
        return relays.all().stream().filter(r -> r.sink().equals(sink)).findFirst().orElseThrow();
    }

    private void drainEach() {
        for (OutboxRelay relay : relays.all()) {
            while (relay.drain() > 0) {
                // until the sink's backlog is empty
            }
        }
    }

    private void up(LoopbackServer server, String sink) {
        server.respond(request -> {
            record(request, sink);
            return Response.of(200, "{}");
        });
    }

    private void record(LoopbackServer.Request request, String sink) throws IOException {
        for (JsonNode record : json.readTree(request.body())) {
            if (record.has("decisionId")) {
                received.computeIfAbsent(sink, s -> new ConcurrentHashMap<>())
                        .computeIfAbsent(record.get("decisionId").asText(), id -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    private static void down(LoopbackServer server) {
        server.respond(request -> Response.of(503, "{\"error\":\"maintenance\"}"));
    }

    private Set<String> received(String sink) {
        return received.getOrDefault(sink, Map.of()).keySet();
    }

    private List<String> archived() throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(ARCHIVE)) {
            JsonNode record = json.readTree(line);
            if (record.has("decisionId")) {
                ids.add(record.get("decisionId").asText());
            }
        }
        return ids;
    }

    private String statusOf(String id, String sink) {
        Map<String, Object> entry = entry(id, sink);
        return entry == null ? null : (String) entry.get("status");
    }

    private Map<String, Object> entry(String id, String sink) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT status, attempts, last_error FROM siem_outbox WHERE decision_id = ?::uuid AND sink = ?", id, sink);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private List<String> decide(int count) throws Exception {
        return RelayTestSupport.decide(mvc, json, count, "sinks", "acme.com");
    }

    private static LoopbackServer server() {
        try {
            return new LoopbackServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
