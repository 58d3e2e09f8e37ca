package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.StallingServer;

/**
 * Whose fault a refusal is decides what happens to the records: a record the SIEM refuses goes
 * DEAD alone, an outage retries the batch whole, a refused token dead-letters nothing, a SIEM
 * stalling mid-body costs one attempt and never holds the relay or its shutdown.
 */
class SiemRefusalTest extends RelayTestSupport {

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

}
