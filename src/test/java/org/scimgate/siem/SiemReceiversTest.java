package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestService;
import org.scimgate.support.WholeServiceTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole service under concurrent webhook load, its relay delivering to the real receivers the
 * issue names: a real rsyslog over mutual TLS in CEF, a real KRaft broker in OCSF, and the file in
 * ECS. In the first two, the receiver goes down while webhooks are being answered and the relay is
 * sending, and comes back once that is visible: the broker is shut down until the relay has
 * failed to deliver; rsyslog is frozen until the relay has counted records as delivered into its
 * socket, then killed (a crash with records it took but never wrote) and started again. Every
 * answered decision's id must be in what the receiver wrote, no other decision id may be, and a
 * decision that arrived more than once must have arrived as the same bytes each time (a re-send,
 * never a different record under the same id). The duplicates are counted and reported. A userName built to forge a CEF record and a
 * syslog frame is one of the decisions, and arrives as one escaped value of one record.
 *
 * <p>Each receiver is started once, in its test; each test starts a service of its own, since the
 * sink is chosen at start-up. rsyslog must be installed ({@code .ci/run} installs it): without it
 * the test fails, it is never skipped.
 */
@WholeServiceTest
@Timeout(600)
class SiemReceiversTest {

    private static final Logger LOG = LoggerFactory.getLogger(SiemReceiversTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PHASE = 100;
    private static final String TOPIC = "scimgate.decisions";

    /**
     * Everything that ends or adds a CEF field or record, or a syslog frame: {@code \}, {@code =},
     * {@code |}, a fake extension, CR and LF, and a whole octet-counted syslog message after them.
     */
    static final String HOSTILE = "eve\\ act=allow externalId=forged outcome=success|CEF:0|evil|x|1|2|3|10|src=6.6.6.6\n"
            + "97 <109>1 2026-12-07T00:00:00Z host scimgate 1 decision - CEF:0|forged|rec|1|ok|ok|1|duser=admin act=allow"
            + "\r\n=x\\=@acme.com";

    @TempDir
    static Path dir;

    @BeforeAll
    static void quietKafka() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("kafka")).setLevel(ch.qos.logback.classic.Level.WARN);
    }

    @Test
    void rsyslogOverTlsGetsEveryDecisionInCefThoughItCrashedMidRunWithRecordsUnread() throws Exception {
        try (Rsyslog rsyslog = new Rsyslog(Files.createDirectories(dir.resolve("rsyslog")));
             ConfigurableApplicationContext service = service(
                     "--scimgate.siem.format=syslog",
                     "--scimgate.siem.endpoint=tls://127.0.0.1:" + rsyslog.port,
                     "--scimgate.siem.tls-ca=" + rsyslog.dir.resolve("ca.pem"),
                     "--scimgate.siem.tls-client-cert=" + rsyslog.dir.resolve("client.pem"),
                     "--scimgate.siem.tls-client-key=" + rsyslog.dir.resolve("client.key"))) {
            // Syslog has no acknowledgement: what rsyslog took into its socket but never wrote is lost
            // with it, unless the sink sends it again. So rsyslog is frozen until the relay has
            // counted records as delivered into it, then killed, then started again.
            Run run = run(service, () -> !cefDecisions(rsyslog).isEmpty(), () -> {
                double before = deliveries(service);
                rsyslog.freeze();
                await("records written into the frozen rsyslog's socket").atMost(Duration.ofSeconds(60))
                        .until(() -> deliveries(service) > before);
            }, () -> {
                rsyslog.crash();
                rsyslog.start();
            });

            int duplicates = assertEveryDecisionArrivedAndEveryDuplicateIsTheSameBytes("rsyslog (CEF)", run,
                    () -> cefDecisions(rsyslog));
            Map<String, List<String>> received = cefDecisions(rsyslog);
            String hostile = received.get(run.hostile()).get(0);
            CefReader cef = CefReader.read(hostile);
            assertThat(cef.header()).hasSize(7);
            assertThat(cef.header().get(1)).isEqualTo("scimgate");
            assertThat(cef.extensions().get("duser")).as("one value, unescaped as a CEF reader does").isEqualTo(HOSTILE);
            assertThat(cef.extensions()).containsEntry("externalId", run.hostile()).containsEntry("outcome", "failure")
                    .doesNotContainKey("src");
            assertThat(rsyslog.lines()).as("no record or frame of the attacker's making: the attack is inside one record")
                    .allMatch(l -> l.matches("1(08|10)\\|scimgate\\|[a-z-]+\\|.*"))
                    .filteredOn(l -> l.contains("forged") || l.contains("evil|")).hasSize(received.get(run.hostile()).size())
                    .allMatch(l -> l.contains(run.hostile()));
            capture("syslog-cef.log", rsyslog.lines().stream().filter(l -> l.contains("|decision|") && l.contains("outcome=failure")
                    && !l.contains(run.hostile())).findFirst().orElseThrow());
            capture("syslog-cef-hostile.log", rsyslog.lines().stream().filter(l -> l.contains(run.hostile())).findFirst().orElseThrow());
            LOG.info("rsyslog (CEF): {} decisions, {} duplicates, {} messages sent again by the syslog sink", run.answered().size(),
                    duplicates, service.getBean(SiemSinks.class).all().get(0).sink() instanceof SyslogSink syslog ? syslog.replayed() : -1);
        }
    }

    @Test
    void aKafkaBrokerGetsEveryDecisionInOcsfThoughItWasStoppedMidRun() throws Exception {
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        try (kafka) {
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
            }
            try (ConfigurableApplicationContext service = service(
                    "--scimgate.siem.format=kafka",
                    "--scimgate.siem.endpoint=kafka://" + kafka.bootstrapServers(),
                    "--scimgate.siem.schema=ocsf",
                    // The broker runs in this JVM: the service's logging settings are its too.
                    "--logging.level.org.apache.kafka=WARN", "--logging.level.kafka=WARN",
                    "--logging.level.state.change.logger=WARN")) {
                AtomicReference<Double> failuresBefore = new AtomicReference<>();
                Run run = run(service, () -> !ocsfDecisions(kafka).isEmpty(), () -> {
                    failuresBefore.set(failures(service));
                    kafka.brokers().values().forEach(b -> b.shutdown());
                }, () -> {
                    await("the relay finds the broker gone").atMost(Duration.ofSeconds(60))
                            .until(() -> failures(service) > failuresBefore.get());
                    kafka.brokers().values().forEach(b -> b.startup());
                });
                int duplicates = assertEveryDecisionArrivedAndEveryDuplicateIsTheSameBytes("Kafka (OCSF)", run,
                        () -> ocsfDecisions(kafka));
                Map<String, List<String>> received = ocsfDecisions(kafka);
                JsonNode hostile = JSON.readTree(received.get(run.hostile()).get(0));
                assertThat(hostile.get(0).asText()).as("the key: the user, for per-user order").isEqualTo(HOSTILE.toLowerCase(java.util.Locale.ROOT));
                assertThat(JSON.readTree(hostile.get(1).asText()).at("/user/name").asText()).isEqualTo(HOSTILE);
                capture("kafka-ocsf.json", received.entrySet().stream().filter(e -> !e.getKey().equals(run.hostile()))
                        .map(e -> kafkaValue(e.getValue().get(0)))
                        .filter(v -> v.contains("\"status_id\":2")).findFirst().orElseThrow());
                LOG.info("Kafka (OCSF): {} decisions, {} duplicates", run.answered().size(), duplicates);
            }
        }
    }

    @Test
    void theFileGetsEveryDecisionInEcs() throws Exception {
        Path file = dir.resolve("file/decisions.ndjson");
        try (ConfigurableApplicationContext service = service(
                "--scimgate.siem.format=file",
                "--scimgate.siem.file=" + file,
                "--scimgate.siem.schema=ecs")) {
            Run run = run(service, () -> !ecsDecisions(file).isEmpty(), null, null);
            int duplicates = assertEveryDecisionArrivedAndEveryDuplicateIsTheSameBytes("file (ECS)", run,
                    () -> ecsDecisions(file));
            Map<String, List<String>> received = ecsDecisions(file);
            assertThat(JSON.readTree(received.get(run.hostile()).get(0)).at("/user/target/name").asText()).isEqualTo(HOSTILE);
            capture("file-ecs.json", received.entrySet().stream().filter(e -> !e.getKey().equals(run.hostile()))
                    .map(e -> e.getValue().get(0)).filter(v -> v.contains("\"outcome\":\"failure\"")).findFirst().orElseThrow());
            LOG.info("file (ECS): {} decisions, {} duplicates", run.answered().size(), duplicates);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The decisions answered, and the id of the one whose userName was hostile. */
    record Run(Set<String> answered, String hostile) {
    }

    interface Step {
        void run() throws Exception;
    }

    private static ConfigurableApplicationContext service(String... sink) {
        List<String> settings = new ArrayList<>(List.of(
                "--scimgate.siem.relay-enabled=true",
                "--scimgate.siem.poll-interval=100ms",
                "--scimgate.siem.batch-size=20",
                "--scimgate.siem.backoff=200ms",
                "--scimgate.siem.max-backoff=1s",
                // The outage must not spend a record's attempts: this test is about coming back, not DEAD.
                "--scimgate.siem.max-attempts=1000",
                "--scimgate.siem.timeout=5s",
                "--scimgate.siem.lease=30s"));
        settings.addAll(List.of(sink));
        return TestService.start(TestPostgres.newDatabase(), settings.toArray(String[]::new));
    }

    /**
     * Three phases of {@value #PHASE} webhooks, eight at a time. In the first the receiver is up;
     * once it holds a decision, the second starts and {@code down} runs while it does; once the
     * second is answered, {@code up} brings the receiver back and the third phase runs.
     */
    private static Run run(ConfigurableApplicationContext service, java.util.concurrent.Callable<Boolean> delivering,
                           Step down, Step up) throws Exception {
        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicReference<String> hostile = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
            waitFor(phase(pool, http, service, 0, answered, hostile));
            await("the receiver holds a decision before the outage").atMost(Duration.ofSeconds(60)).until(delivering);
            List<Future<?>> second = phase(pool, http, service, PHASE, answered, hostile);
            if (down != null) {
                await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= PHASE + PHASE / 4);
                down.run();
                waitFor(second);
                up.run();
            } else {
                waitFor(second);
            }
            waitFor(phase(pool, http, service, 2 * PHASE, answered, hostile));
        } finally {
            pool.shutdownNow();
        }
        assertThat(answered).hasSize(3 * PHASE);
        assertThat(hostile.get()).isNotNull();
        return new Run(Set.copyOf(answered), hostile.get());
    }

    private static List<Future<?>> phase(ExecutorService pool, HttpClient http, ConfigurableApplicationContext service,
                                         int from, Set<String> answered, AtomicReference<String> hostile) {
        List<Future<?>> sent = new ArrayList<>();
        for (int i = from; i < from + PHASE; i++) {
            int n = i;
            sent.add(pool.submit(() -> {
                String userName = n == PHASE + PHASE / 2 ? HOSTILE : "run" + n + (n % 3 == 0 ? "@evil.com" : "@acme.com");
                String body = JSON.createObjectNode().put("eventType", "user.created").set("data", JSON.createObjectNode()
                        .put("userName", userName)
                        .set("emails", JSON.createArrayNode().add(JSON.createObjectNode().put("value", userName)
                                .put("primary", true)))).toString();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                TestService.uri(service, "/webhook/scim-validation"))
                        .header("Content-Type", "application/json").header("Authorization", TestCredentials.WEBHOOK)
                        .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isIn(200, 400);
                String id = JSON.readTree(response.body()).get("decisionId").asText();
                answered.add(id);
                if (userName.equals(HOSTILE)) {
                    hostile.set(id);
                }
                return null;
            }));
        }
        return sent;
    }

    private static void waitFor(List<Future<?>> sent) throws Exception {
        for (Future<?> f : sent) {
            f.get();
        }
    }

    private static double deliveries(ConfigurableApplicationContext service) {
        return service.getBean(MeterRegistry.class).find("scimgate.siem.deliveries").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static double failures(ConfigurableApplicationContext service) {
        return service.getBean(MeterRegistry.class).find("scimgate.siem.failures").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /**
     * Waits until the receiver holds every answered decision, then checks that it holds no other,
     * and that each decision that arrived more than once arrived as the same bytes every time.
     */
    private static int assertEveryDecisionArrivedAndEveryDuplicateIsTheSameBytes(
            String receiver, Run run, java.util.concurrent.Callable<Map<String, List<String>>> read) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                read.call().keySet()).as("the decisions %s holds", receiver).containsAll(run.answered()));
        Map<String, List<String>> received = read.call();
        assertThat(received.keySet()).as("the decisions %s holds", receiver).isEqualTo(run.answered());
        int duplicates = 0;
        for (Map.Entry<String, List<String>> copies : received.entrySet()) {
            assertThat(new HashSet<>(copies.getValue())).as("every copy of %s is the same bytes", copies.getKey()).hasSize(1);
            duplicates += copies.getValue().size() - 1;
        }
        return duplicates;
    }

    // ---- what each receiver wrote, by decision id: the bytes of each copy ----

    /** rsyslog's file: {@code PRI|APP-NAME|MSGID|MSG}; a decision's MSG is its CEF record. */
    private static Map<String, List<String>> cefDecisions(Rsyslog rsyslog) throws Exception {
        Map<String, List<String>> byId = new HashMap<>();
        for (String line : rsyslog.lines()) {
            String[] fields = line.split("\\|", 4);
            if (fields.length == 4 && fields[2].equals("decision")) {
                String cef = fields[3].startsWith(" ") ? fields[3].substring(1) : fields[3];
                byId.computeIfAbsent(CefReader.read(cef).extensions().get("externalId"), k -> new ArrayList<>()).add(cef);
            }
        }
        return byId;
    }

    /** The topic from the beginning, without a consumer group: {@code [key, value]} of each OCSF Account Change. */
    private static Map<String, List<String>> ocsfDecisions(KafkaClusterTestKit kafka) throws Exception {
        Map<String, List<String>> byId = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    JsonNode ocsf = JSON.readTree(record.value());
                    if (ocsf.path("class_uid").asInt() == OcsfMapping.ACCOUNT_CHANGE) {
                        byId.computeIfAbsent(ocsf.at("/metadata/uid").asText(), k -> new ArrayList<>())
                                .add(JSON.createArrayNode().add(record.key()).add(record.value()).toString());
                    }
                }
            }
        }
        return byId;
    }

    private static String kafkaValue(String keyAndValue) {
        try {
            return JSON.readTree(keyAndValue).get(1).asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file, one ECS document a line; decisions are those of the {@code scimgate.decision} dataset. */
    private static Map<String, List<String>> ecsDecisions(Path file) throws Exception {
        Map<String, List<String>> byId = new HashMap<>();
        if (!Files.exists(file)) {
            return byId;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode ecs = JSON.readTree(line);
            if (EcsMapping.DATASET.equals(ecs.at("/event/dataset").asText())) {
                byId.computeIfAbsent(ecs.at("/event/id").asText(), k -> new ArrayList<>()).add(line);
            }
        }
        return byId;
    }

    /** Keeps one real record of each receiver under target/ (the documentation's examples come from there). */
    static void capture(String name, String record) throws Exception {
        Path captured = Path.of("target", "siem-records", name);
        Files.createDirectories(captured.getParent());
        Files.writeString(captured, record + "\n");
    }
}
