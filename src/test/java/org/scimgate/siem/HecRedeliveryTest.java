package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scimgate.support.LoopbackServer.Response;

/**
 * The relay with Splunk HEC's indexer acknowledgement, against a real PostgreSQL: a record is
 * DELIVERED only once HEC confirmed the ackId of the request that carried it, and a batch HEC does
 * not confirm in time is sent again, arriving twice with the same decision ids.
 */
@Timeout(120)
class HecRedeliveryTest extends RelayTestSupport {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> received = new CopyOnWriteArrayList<>();

    private SplunkHecSink hec(Duration acknowledgementTimeout) {
        return new SplunkHecSink(HttpClient.newHttpClient(), siem.uri(), Duration.ofSeconds(5),
                CircuitBreaker.ofDefaults("hec-relay-" + UUID.randomUUID()), json, "hec-token", new NativeMapping(json),
                new HecAcknowledgements.Wait(acknowledgementTimeout, Duration.ofMillis(20), Duration.ofMillis(100)), meters);
    }

    @Test
    void aRecordStaysPendingUntilHecAcknowledgesTheRequestThatCarriedIt() throws Exception {
        List<String> ids = decide(3, "acme.com");
        AtomicBoolean indexed = new AtomicBoolean(false);
        siem.respond(request -> {
            if (request.path().startsWith(HecAcknowledgements.PATH)) {
                return Response.of(200, "{\"acks\":{\"1\":" + indexed.get() + "}}");
            }
            received.addAll(decisionIds(request.body()));
            return Response.of(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":1}");
        });
        OutboxRelay relay = relay("hec-pending", hec(Duration.ofSeconds(60)), Duration.ofSeconds(90),
                Duration.ofSeconds(5), 12, Duration.ZERO, NO_GENESYS);

        CompletableFuture<Integer> draining = CompletableFuture.supplyAsync(relay::drain);
        await().atMost(Duration.ofSeconds(20)).until(() -> siem.requests(HecAcknowledgements.PATH).size() >= 3);
        assertThat(received).containsAll(ids);
        assertThat(ids).as("HEC took the batch but has not said it is indexed")
                .allSatisfy(id -> assertThat(row(id).get("status")).isEqualTo("PENDING"));

        indexed.set(true);
        assertThat(draining.get(20, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(3);
        assertThat(ids).allSatisfy(id -> assertThat(row(id).get("status")).isEqualTo("DELIVERED"));
    }

    @Test
    void aBatchHecNeverAcknowledgesIsSentAgainAndItsDuplicatesCarryTheSameDecisionIds() throws Exception {
        List<String> ids = decide(3, "acme.com");
        AtomicInteger ackIds = new AtomicInteger();
        siem.respond(request -> {
            if (request.path().startsWith(HecAcknowledgements.PATH)) {
                long asked = json.readTree(request.body()).path("acks").path(0).asLong();
                return Response.of(200, "{\"acks\":{\"" + asked + "\":" + (asked != 0) + "}}");
            }
            received.addAll(decisionIds(request.body()));
            return Response.of(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":" + ackIds.getAndIncrement() + "}");
        });
        OutboxRelay relay = relay("hec-unacknowledged", hec(Duration.ofMillis(500)), Duration.ofSeconds(60),
                Duration.ofSeconds(5), 12, Duration.ZERO, NO_GENESYS);

        relay.drain();
        assertThat(ids).as("ackId 0 was never confirmed: not delivered, one attempt counted").allSatisfy(id -> {
            Map<String, Object> row = row(id);
            assertThat(row.get("status")).isEqualTo("PENDING");
            assertThat(row.get("attempts")).isEqualTo(1);
            assertThat((String) row.get("last_error")).contains("did not acknowledge ackId 0");
        });

        relay.drain();
        assertThat(ids).allSatisfy(id -> assertThat(row(id).get("status")).isEqualTo("DELIVERED"));
        Map<String, Long> arrivals = received.stream().filter(ids::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(arrivals).as("each decision arrived twice: the duplicate is recognisable by its id")
                .containsOnlyKeys(ids).allSatisfy((id, times) -> assertThat(times).isEqualTo(2L));
        assertThat(meters.counter(HecAcknowledgements.METER, "outcome", "timed_out").count()).isEqualTo(1);
        assertThat(meters.counter(HecAcknowledgements.METER, "outcome", "confirmed").count()).isEqualTo(1);
    }
}
