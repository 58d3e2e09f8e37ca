package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The syslog sink against a real rsyslog over mutual TLS ({@link Rsyslog}), started once for the
 * class: the framing rsyslog reads, a hostile userName, and an rsyslog stopped and started again
 * in the middle of a run.
 */
@Timeout(180)
class SyslogSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static Rsyslog rsyslog;

    @BeforeAll
    static void startRsyslog() throws Exception {
        dir = Files.createTempDirectory("rsyslog");
        rsyslog = new Rsyslog(dir);
    }

    @AfterAll
    static void stopRsyslog() throws Exception {
        rsyslog.close();
    }

    private static SyslogSink sink(int replay) {
        SiemSettings settings = new SiemSettings(URI.create("tls://127.0.0.1:" + rsyslog.port), SiemSettings.Format.SYSLOG,
                null, Path.of("x"), 10, Duration.ofSeconds(1), Duration.ofSeconds(20), 3, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), true, null, null,
                dir.resolve("ca.pem"), dir.resolve("client.pem"), dir.resolve("client.key"), null, null);
        return new SyslogSink(SyslogConnection.of(settings), settings.schema().mapping(JSON), JSON, replay, 5_000);
    }

    private static SiemRecord record(String userName) throws Exception {
        SiemRecord r = SiemSchemasTest.rejected(userName);
        return new SiemRecord(r.source(), r.timestamp(), r.correlationId(), r.userId(), r.userName(), r.outcome(),
                r.violations(), r.eventTimestamp(), r.complianceEngine(), UUID.randomUUID(), r.rulesetVersion(),
                r.webhookId(), r.receivedAt(), r.eventType(), r.shadow());
    }

    /** The received messages by their CEF externalId, each read whole. */
    private static Map<String, List<CefReader>> received() throws Exception {
        return rsyslog.lines().stream().filter(l -> l.contains("CEF:0|"))
                .map(l -> CefReader.read(l.substring(l.indexOf("CEF:0|"))))
                .collect(Collectors.groupingBy(c -> c.extensions().get("externalId")));
    }

    @Test
    void frameIsOctetCountedInBytesWithNoTrailingNewline() throws Exception {
        SiemRecord record = record("zoë.ünïcode+漢字@acme.com");
        byte[] frame = SyslogMessage.frame(record, new CefMapping(JSON).line(record));
        String text = new String(frame, StandardCharsets.UTF_8);
        int space = text.indexOf(' ');
        int length = Integer.parseInt(text.substring(0, space));
        assertThat(length).isEqualTo(frame.length - space - 1);
        assertThat(length).isGreaterThan(text.length() - space - 1); // counted in bytes, not characters
        assertThat(frame[frame.length - 1]).isNotEqualTo((byte) '\n');
        assertThat(text.substring(space + 1)).matches("<108>1 2026-11-29T10:00:00\\.500Z \\S+ scimgate \\d+ decision - CEF:0\\|.*");
    }

    @Test
    void rsyslogReceivesEveryRecordOfABatchWholeOverMutualTls() throws Exception {
        try (SyslogSink sink = sink(100)) {
            List<SiemRecord> batch = List.of(record("jane@acme.com"), record("zoë.ünïcode+漢字@acme.com"),
                    record("bob@acme.com"));
            ChainCheckpoint checkpoint = ChainCheckpoint.of(7, "ab12", "2026-11-29T10:05:00Z");
            sink.deliver(batch);
            sink.deliver(List.of(checkpoint));
            await().atMost(Duration.ofSeconds(20)).until(() -> received().containsKey(checkpoint.eventId()));
            Map<String, List<CefReader>> received = received();
            for (SiemRecord record : batch) {
                assertThat(received.get(record.decisionId().toString())).singleElement()
                        .satisfies(cef -> assertThat(cef.extensions().get("duser")).isEqualTo(record.userName()));
            }
            String line = rsyslog.lines().stream().filter(l -> l.contains(batch.get(0).decisionId().toString()))
                    .findFirst().orElseThrow();
            assertThat(line).startsWith("108|scimgate|decision|");
        }
    }

    @Test
    void aUserNameBuiltToBreakCefAndTheFramingArrivesAsOneEscapedValue() throws Exception {
        String hostile = "eve act=ACCEPTED externalId=forged\n42 <14>1 - evil - - - CEF:0|x|y|1|2|3|4|duser=admin\r\n"
                + "9999 |\\=";
        try (SyslogSink sink = sink(100)) {
            SiemRecord record = record(hostile);
            SiemRecord after = record("after@acme.com");
            sink.deliver(List.of(record, after));
            await().atMost(Duration.ofSeconds(20)).until(() -> received().containsKey(after.decisionId().toString()));
            assertThat(received().get(record.decisionId().toString())).singleElement().satisfies(cef -> {
                assertThat(cef.extensions().get("duser")).isEqualTo(hostile);
                assertThat(cef.extensions().get("act")).isEqualTo("REJECTED");
            });
            assertThat(received()).doesNotContainKey("forged");
            assertThat(rsyslog.lines()).noneMatch(l -> l.contains("|evil|") || l.startsWith("14|"));
        }
    }

    @Test
    void anRsyslogStoppedAndStartedMidRunLosesNothingAndTheDuplicatesAreCounted() throws Exception {
        List<SiemRecord> all = new ArrayList<>();
        int failures = 0;
        try (SyslogSink sink = sink(SyslogSink.DEFAULT_REPLAY)) {
            for (int b = 0; b < 30; b++) {
                List<SiemRecord> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(record("run" + b + "." + i + "@acme.com"));
                }
                all.addAll(batch);
                if (b == 10 || b == 20) {
                    rsyslog.stop(); // batches keep coming: the first is written into a connection nobody reads
                }
                failures += deliverUntilAccepted(sink, batch);
            }
            Function<SiemRecord, String> id = r -> r.decisionId().toString();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(received().keySet()).containsAll(all.stream().map(id).toList()));
            long lines = received().values().stream().mapToLong(List::size).sum();
            long duplicates = lines - all.size();
            System.out.printf("rsyslog outage: %d records, %d received, %d duplicates, %d failed sends, %d replayed%n",
                    all.size(), lines, duplicates, failures, sink.replayed());
            assertThat(failures).as("the outage was seen").isPositive();
            assertThat(sink.replayed()).as("the messages before the break were sent again").isPositive();
        }
    }

    /**
     * What the outbox does: a batch the sink accepted is done with, a failed one is sent again later.
     * rsyslog starts again after the first failure the outage causes.
     */
    private static int deliverUntilAccepted(SyslogSink sink, List<SiemRecord> batch) throws Exception {
        int failures = 0;
        while (true) {
            try {
                sink.deliver(batch);
                return failures;
            } catch (SiemDeliveryFailed e) {
                failures++;
                if (!rsyslog.running()) {
                    rsyslog.start();
                }
                if (failures > 20) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aReceiverWhoseCertificateSiemTlsCaDoesNotVouchForIsRefused() {
        SiemSettings settings = new SiemSettings(URI.create("tls://127.0.0.1:" + rsyslog.port), SiemSettings.Format.SYSLOG,
                null, Path.of("x"), 10, Duration.ofSeconds(1), Duration.ofSeconds(20), 3, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), true, null, null,
                null, null, null, null, null);
        try (SyslogSink sink = new SyslogSink(SyslogConnection.of(settings), new CefMapping(JSON), JSON, 10, 5_000)) {
            assertThatThrownBy(() -> sink.deliver(List.of(record("x@acme.com"))))
                    .as("the JVM's trust store does not trust the test CA").isInstanceOf(SiemDeliveryFailed.class);
        }
    }
}
