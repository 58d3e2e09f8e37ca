package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;

/**
 * Splunk HEC with indexer acknowledgement, played by an HTTP server on loopback: HEC answers a
 * batch with an ackId, and {@code /services/collector/ack} says whether that ackId is indexed.
 */
@Timeout(60)
class HecAcknowledgementTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = SplunkHecSink.PATH;
    private static final String ACKS = HecAcknowledgements.PATH;
    private static final String SUCCESS = "{\"text\":\"Success\",\"code\":0}";
    private static final String SUCCESS_WITH_ACK = "{\"text\":\"Success\",\"code\":0,\"ackId\":7}";

    private LoopbackServer hec;
    private SimpleMeterRegistry meters;

    @BeforeEach
    void startHec() throws Exception {
        hec = new LoopbackServer();
        meters = new SimpleMeterRegistry();
    }

    @AfterEach
    void stopHec() {
        hec.close();
    }

    private SplunkHecSink sink(Duration acknowledgementTimeout) {
        return new SplunkHecSink(HttpClient.newHttpClient(), hec.uri(), Duration.ofSeconds(5),
                CircuitBreaker.ofDefaults("hec-ack-" + UUID.randomUUID()), JSON, "hec-token", new NativeMapping(JSON),
                new HecAcknowledgements.Wait(acknowledgementTimeout, Duration.ofMillis(20), Duration.ofMillis(100)), meters);
    }

    private static SiemRecord record() {
        return new SiemRecord("scimgate", "2026-11-29T10:00:01Z", "UNKNOWN_EVENT", "u-1", "jane@acme.com", "ACCEPTED",
                JSON.createArrayNode(), "2026-11-29T10:00:00Z", "scimgate", UUID.randomUUID(), "abc", "wh-1",
                "2026-11-29T10:00:00.5Z", "user.created", null);
    }

    private double acknowledgements(String outcome) {
        return meters.counter(HecAcknowledgements.METER, "outcome", outcome).count();
    }

    /** HEC as it is with acknowledgement on: ackId 7 for the batch, and {@code indexed} says what the ack endpoint answers. */
    private void hecWithAcknowledgement(AtomicBoolean indexed) {
        hec.respond(request -> request.path().startsWith(ACKS)
                ? Response.of(200, "{\"acks\":{\"7\":" + indexed.get() + "}}")
                : Response.of(200, SUCCESS_WITH_ACK));
    }

    @Test
    void aBatchIsDeliveredOnlyOnceHecSaysItsAckIdIsIndexed() throws Exception {
        AtomicBoolean indexed = new AtomicBoolean(false);
        hecWithAcknowledgement(indexed);
        SplunkHecSink sink = sink(Duration.ofSeconds(30));

        CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> {
            try {
                sink.deliver(List.of(record()));
            } catch (SiemDeliveryFailed e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> hec.requests(ACKS).size() >= 3);
        assertThat(delivery).as("HEC has said false three times: the batch is not delivered yet").isNotDone();

        indexed.set(true);
        delivery.get(10, TimeUnit.SECONDS);
        assertThat(hec.requests(EVENTS)).hasSize(1);
        assertThat(hec.requests(ACKS)).allSatisfy(poll -> {
            assertThat(poll.method()).isEqualTo("POST");
            assertThat(poll.path()).isEqualTo(ACKS + "?channel=" + sink.channel());
            assertThat(poll.header("Authorization")).isEqualTo("Splunk hec-token");
            assertThat(JSON.readTree(poll.body())).isEqualTo(JSON.readTree("{\"acks\":[7]}"));
        });
        assertThat(acknowledgements("confirmed")).isEqualTo(1);
        assertThat(acknowledgements("timed_out")).isZero();
    }

    @Test
    void aBatchHecNeverAcknowledgesIsNotDelivered() {
        hecWithAcknowledgement(new AtomicBoolean(false));
        SplunkHecSink sink = sink(Duration.ofMillis(400));

        assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOfSatisfying(SiemDeliveryFailed.class, e -> {
            assertThat(e.kind()).as("retried, with the same decision ids").isEqualTo(SiemDeliveryFailed.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).contains("did not acknowledge ackId 7").contains(sink.channel().toString());
        });
        assertThat(hec.requests(ACKS)).as("it kept asking until the wait ran out").hasSizeGreaterThan(1);
        assertThat(acknowledgements("timed_out")).isEqualTo(1);
        assertThat(acknowledgements("confirmed")).isZero();
    }

    @Test
    void anAcknowledgementEndpointThatIsDownLeavesTheBatchUndelivered() {
        hec.respond(request -> request.path().startsWith(ACKS)
                ? Response.of(503, "{\"text\":\"HEC is unhealthy, ack service unavailable\",\"code\":19}")
                : Response.of(200, SUCCESS_WITH_ACK));

        assertThatThrownBy(() -> sink(Duration.ofMillis(400)).deliver(List.of(record())))
                .isInstanceOfSatisfying(SiemDeliveryFailed.class, e -> {
                    assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("503").contains("ack service unavailable");
                });
        assertThat(hec.requests(ACKS)).as("a failing question is asked again within the wait").hasSizeGreaterThan(1);
        assertThat(acknowledgements("timed_out")).isEqualTo(1);
    }

    @Test
    void acknowledgementDisabledWhileWaitingIsASetUpFaultAndEndsTheWait() {
        hec.respond(request -> request.path().startsWith(ACKS)
                ? Response.of(400, "{\"text\":\"ACK is disabled\",\"code\":14}")
                : Response.of(200, SUCCESS_WITH_ACK));

        assertThatThrownBy(() -> sink(Duration.ofSeconds(30)).deliver(List.of(record())))
                .isInstanceOfSatisfying(SiemDeliveryFailed.class, e -> {
                    assertThat(e.kind()).as("no record's fault: nothing is dead-lettered")
                            .isEqualTo(SiemDeliveryFailed.Kind.SETUP_REFUSED);
                    assertThat(e.getMessage()).contains("ACK is disabled");
                });
        assertThat(hec.requests(ACKS)).hasSize(1);
        assertThat(acknowledgements("refused")).isEqualTo(1);
    }

    @Test
    void aChannelHecRefusesIsASetUpFault() {
        SplunkHecSink sink = sink(Duration.ofSeconds(30));
        hec.respond(request -> Response.of(400, "{\"text\":\"Invalid data channel\",\"code\":11}"));
        assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOfSatisfying(SiemDeliveryFailed.class,
                e -> assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.SETUP_REFUSED));

        hec.respond(request -> request.path().startsWith(ACKS)
                ? Response.of(400, "{\"text\":\"Data channel is missing\",\"code\":10}")
                : Response.of(200, SUCCESS_WITH_ACK));
        assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOfSatisfying(SiemDeliveryFailed.class,
                e -> assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.SETUP_REFUSED));
        assertThat(hec.requests(ACKS)).hasSize(1);
    }

    @Test
    void aConnectionDroppedWhileAskingIsAskedAgain() throws Exception {
        AtomicInteger questions = new AtomicInteger();
        hec.respond(request -> {
            if (!request.path().startsWith(ACKS)) {
                return Response.of(200, SUCCESS_WITH_ACK);
            }
            if (questions.incrementAndGet() == 1) {
                throw new LoopbackServer.Unreachable();
            }
            return Response.of(200, "{\"acks\":{\"7\":true}}");
        });
        sink(Duration.ofSeconds(30)).deliver(List.of(record()));
        assertThat(questions).hasValue(2);

        hec.respond(request -> {
            if (request.path().startsWith(ACKS)) {
                throw new LoopbackServer.Unreachable();
            }
            return Response.of(200, SUCCESS_WITH_ACK);
        });
        assertThatThrownBy(() -> sink(Duration.ofMillis(400)).deliver(List.of(record())))
                .isInstanceOfSatisfying(SiemDeliveryFailed.class,
                        e -> assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.UNAVAILABLE));
    }

    @Test
    void aTokenWithoutAcknowledgementIsDeliveredOnThe200() throws Exception {
        hec.respond(request -> Response.of(200, SUCCESS));
        sink(Duration.ofSeconds(30)).deliver(List.of(record()));
        assertThat(hec.requests(EVENTS)).hasSize(1);
        assertThat(hec.requests(ACKS)).isEmpty();
        assertThat(acknowledgements("confirmed")).isZero();
    }

    @Test
    void everyRequestOfASinkNamesItsOneChannelAndAnotherSinkHasAnother() throws Exception {
        hecWithAcknowledgement(new AtomicBoolean(true));
        SplunkHecSink sink = sink(Duration.ofSeconds(30));
        sink.deliver(List.of(record()));
        sink.deliver(List.of(record(), record()));
        SplunkHecSink other = sink(Duration.ofSeconds(30));
        other.deliver(List.of(record()));

        List<LoopbackServer.Request> requests = hec.requests();
        assertThat(requests).hasSize(6);
        String channel = requests.get(0).header(HecAcknowledgements.CHANNEL_HEADER);
        assertThat(UUID.fromString(channel)).isEqualTo(sink.channel());
        assertThat(requests.subList(0, 4)).allSatisfy(r ->
                assertThat(r.header(HecAcknowledgements.CHANNEL_HEADER)).isEqualTo(channel));
        assertThat(requests.subList(4, 6)).allSatisfy(r ->
                assertThat(r.header(HecAcknowledgements.CHANNEL_HEADER)).isEqualTo(other.channel().toString()));
        assertThat(other.channel()).isNotEqualTo(sink.channel());
        assertThat(sink.destination()).as("operators find the channel where the console and health name the sink")
                .contains(channel).doesNotContain("hec-token");
    }

    @Test
    void settingsRefuseAnAcknowledgementWaitTheLeaseCannotCover() {
        assertThatThrownBy(() -> hecSettings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(50)))
                .hasMessageContaining("scimgate.siem.lease").hasMessageContaining("scimgate.siem.timeout")
                .hasMessageContaining("SIEM_HEC_ACK_TIMEOUT");
        SiemSettings defaults = hecSettings(Duration.ofSeconds(60), Duration.ofSeconds(10), null);
        assertThat(defaults.hecAckTimeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(defaults.sendDeadline()).as("what the relay's lease must outlast").isEqualTo(Duration.ofSeconds(50));
        assertThat(new SiemSettings(java.net.URI.create("https://siem.example.com"), SiemSettings.Format.JSON, null,
                Path.of("x"), 10, Duration.ofSeconds(1), Duration.ofSeconds(60), 3, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10), true, null, null, null, null, null,
                null, null, Duration.ofSeconds(55)).sendDeadline())
                .as("only Splunk HEC waits for an acknowledgement").isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> hecSettings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ZERO))
                .hasMessageContaining("SIEM_HEC_ACK_TIMEOUT");
    }

    private static SiemSettings hecSettings(Duration lease, Duration timeout, Duration acknowledgementTimeout) {
        return new SiemSettings(java.net.URI.create("https://splunk.example.com:8088"), SiemSettings.Format.SPLUNK_HEC,
                "hec-token", Path.of("x"), 10, Duration.ofSeconds(1), lease, 3, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), timeout, true, null, null, null, null, null, null, null, acknowledgementTimeout);
    }
}
