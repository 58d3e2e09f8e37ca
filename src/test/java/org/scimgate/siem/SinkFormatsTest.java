package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.StallingServer;

class SinkFormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SiemRecord record() {
        return new SiemRecord("scimgate", "2026-11-29T10:00:01Z", "UNKNOWN_EVENT", "u-1", "jane@acme.com", "ACCEPTED",
                JSON.createArrayNode(), "2026-11-29T10:00:00Z", "scimgate", UUID.randomUUID(), "abc", "wh-1",
                "2026-11-29T10:00:00.5Z", "user.created", null);
    }

    @Test
    void splunkHecPostsConcatenatedEventsWithTheTokenAndTheDecisionIdAsEventId() throws Exception {
        try (LoopbackServer hec = new LoopbackServer()) {
            hec.respond(r -> Response.of(200, "{\"text\":\"Success\",\"code\":0}"));
            SplunkHecSink sink = new SplunkHecSink(HttpClient.newHttpClient(), hec.uri(), Duration.ofSeconds(5),
                    CircuitBreaker.ofDefaults("hec"), JSON, "hec-token");
            SiemRecord first = record();
            SiemRecord second = record();
            sink.deliver(List.of(first, second));
            LoopbackServer.Request request = hec.requests().get(0);
            assertThat(request.path()).isEqualTo("/services/collector/event");
            assertThat(request.header("Authorization")).isEqualTo("Splunk hec-token");
            List<JsonNode> events = JSON.readerFor(JsonNode.class).<JsonNode>readValues(request.body()).readAll();
            assertThat(events).hasSize(2);
            assertThat(events.get(0).at("/fields/event_id").asText()).isEqualTo(first.decisionId().toString());
            assertThat(events.get(1).at("/event/decisionId").asText()).isEqualTo(second.decisionId().toString());
            assertThat(events.get(0).get("time").asDouble()).isEqualTo(1795946400.5);
        }
    }

    @Test
    void onlyA2xxCountsAsDelivered() throws Exception {
        try (LoopbackServer siem = new LoopbackServer()) {
            JsonSink sink = new JsonSink(HttpClient.newHttpClient(), siem.uri(), Duration.ofSeconds(5),
                    CircuitBreaker.ofDefaults("json"), JSON);
            siem.respond(r -> Response.of(400, "{}"));
            assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOf(SiemDeliveryFailed.class)
                    .hasMessageContaining("400");
            siem.respond(r -> Response.of(302, ""));
            assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOf(SiemDeliveryFailed.class);
            siem.respond(r -> Response.of(202, ""));
            sink.deliver(List.of(record()));
            assertThat(JSON.readTree(siem.requests().get(2).body()).isArray()).isTrue();
        }
    }

    @Test
    void fileSinkAppendsOneJsonLinePerRecord(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("siem/decisions.ndjson");
        FileSink sink = new FileSink(file, null, JSON);
        sink.deliver(List.of(record(), record()));
        sink.deliver(List.of(record()));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(JSON.readTree(lines.get(2)).get("source").asText()).isEqualTo("scimgate");
    }

    @Test
    void fileSinkCreatesTheFileReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("siem/decisions.ndjson");
        new FileSink(file, null, JSON).deliver(List.of(record()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void fileSinkNarrowsAFileOthersCouldRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("decisions.ndjson");
        Files.createFile(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        new FileSink(file, null, JSON).deliver(List.of(record()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void fileSinkLetsTheConfiguredGroupRead(@TempDir Path dir) throws Exception {
        String ownGroup = Files.readAttributes(dir, PosixFileAttributes.class).group().getName();
        Path file = dir.resolve("siem/decisions.ndjson");
        new FileSink(file, ownGroup, JSON).deliver(List.of(record()));
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(attributes.permissions())).isEqualTo("rw-r-----");
        assertThat(attributes.group().getName()).isEqualTo(ownGroup);
        assertThatThrownBy(() -> new FileSink(file, "no-such-group-" + UUID.randomUUID(), JSON))
                .hasMessageContaining("scimgate.siem.file-group");
    }

    @Test
    void fileSinkStartsOnAFreshLineAfterATornLastLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("decisions.ndjson");
        FileSink sink = new FileSink(file, null, JSON);
        sink.deliver(List.of(record()));
        Files.writeString(file, "{\"x", StandardOpenOption.APPEND);
        SiemRecord next = record();
        sink.deliver(List.of(next));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("{\"x");
        assertThat(JSON.readTree(lines.get(2)).get("decisionId").asText()).isEqualTo(next.decisionId().toString());
    }

    @Test
    void splunkHecTellsARefusedEventFromItsOwnSetUp() throws Exception {
        try (LoopbackServer hec = new LoopbackServer()) {
            SplunkHecSink sink = new SplunkHecSink(HttpClient.newHttpClient(), hec.uri(), Duration.ofSeconds(5),
                    CircuitBreaker.ofDefaults("hec-kinds"), JSON, "hec-token");
            hec.respond(r -> Response.of(400, "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":0}"));
            assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOfSatisfying(SiemDeliveryFailed.class,
                    e -> {
                        assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.RECORDS_REFUSED);
                        assertThat(e.getMessage()).contains("400").contains("Invalid data format");
                    });
            hec.respond(r -> Response.of(400, "{\"text\":\"Data channel is missing\",\"code\":10}"));
            assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOfSatisfying(SiemDeliveryFailed.class,
                    e -> assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.SETUP_REFUSED));
            hec.respond(r -> Response.of(403, "{\"text\":\"Invalid token\",\"code\":4}"));
            assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOfSatisfying(SiemDeliveryFailed.class,
                    e -> assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.SETUP_REFUSED));
            hec.respond(r -> Response.of(503, "{\"text\":\"Server is busy\",\"code\":9}"));
            assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOfSatisfying(SiemDeliveryFailed.class,
                    e -> assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.UNAVAILABLE));
        }
    }

    @Test
    @Timeout(30)
    void anHttpSinkGivesUpOnASiemThatStallsMidBody() throws Exception {
        try (StallingServer siem = new StallingServer()) {
            JsonSink sink = new JsonSink(HttpClient.newHttpClient(), siem.uri(), Duration.ofMillis(500),
                    CircuitBreaker.ofDefaults("stalling"), JSON);
            assertThatThrownBy(() -> sink.deliver(List.of(record()))).isInstanceOfSatisfying(SiemDeliveryFailed.class,
                    e -> {
                        assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("no complete answer");
                    });
            assertThat(siem.requests()).isOne();
        }
    }

    @Test
    void settingsRefuseALeaseNoLongerThanTheSendDeadline() {
        assertThatThrownBy(() -> new SiemSettings(null, null, null, Path.of("x"), 10, Duration.ofSeconds(1),
                Duration.ofSeconds(10), 3, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(10), true, null))
                .hasMessageContaining("scimgate.siem.lease").hasMessageContaining("scimgate.siem.timeout");
    }

    @Test
    void settingsRefuseAnHttpFormatWithoutEndpoint() {
        assertThatThrownBy(() -> new SiemSettings(null, SiemSettings.Format.JSON, null, Path.of("x"), 10,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), true, null))
                .hasMessageContaining("SIEM_FORMAT=json sends over HTTP and needs SIEM_ENDPOINT");
        assertThatThrownBy(() -> new SiemSettings(java.net.URI.create("http://127.0.0.1:1"), SiemSettings.Format.SPLUNK_HEC,
                null, Path.of("x"), 10, Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), true, null))
                .hasMessageContaining("SIEM_TOKEN");
        assertThat(new SiemSettings(null, null, null, Path.of("x"), 10, Duration.ofSeconds(1), Duration.ofSeconds(2), 3,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), true, null).format())
                .isEqualTo(SiemSettings.Format.FILE);
    }
}
