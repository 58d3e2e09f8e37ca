package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashMap;
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

/**
 * The Kafka sink against a real KRaft broker in the test JVM (Kafka's own test kit), started once
 * for the class: what a consumer reads, and a broker stopped and started again mid-run.
 */
@Timeout(240)
class KafkaSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "scimgate.decisions";
    private static KafkaClusterTestKit kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        // The broker and its clients log every setting at INFO: keep the build's output readable.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    private static SiemSettings settings(Path clientConfig) {
        return new SiemSettings(URI.create("kafka://" + kafka.bootstrapServers()), SiemSettings.Format.KAFKA, null,
                Path.of("x"), 10, Duration.ofSeconds(1), Duration.ofSeconds(20), 3, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(4), true, null, SiemSchema.OCSF,
                null, null, null, null, clientConfig);
    }

    private static KafkaSink sink() {
        SiemSettings settings = settings(null);
        return new KafkaSink(settings, settings.schema().mapping(JSON), JSON);
    }

    private static SiemRecord record(String userName) throws Exception {
        SiemRecord r = SiemSchemasTest.rejected(userName);
        return new SiemRecord(r.source(), r.timestamp(), r.correlationId(), r.userId(), r.userName(), r.outcome(),
                r.violations(), r.eventTimestamp(), r.complianceEngine(), UUID.randomUUID(), r.rulesetVersion(),
                r.webhookId(), r.receivedAt(), r.eventType(), r.shadow());
    }

    /** Every record on the topic, from the beginning, by OCSF metadata.uid; read without a consumer group. */
    private static Map<String, List<ConsumerRecord<String, String>>> readAll() throws Exception {
        Map<String, List<ConsumerRecord<String, String>>> read = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    String uid = JSON.readTree(record.value()).at("/metadata/uid").asText();
                    read.computeIfAbsent(uid, k -> new ArrayList<>()).add(record);
                }
            }
        }
        return read;
    }

    @Test
    void aConsumerReadsEachRecordInOcsfKeyedByTheUserWithTheDecisionIdInAHeader() throws Exception {
        try (KafkaSink sink = sink()) {
            SiemRecord jane = record("Jane@Acme.com");
            SiemRecord bob = record("bob@acme.com");
            sink.deliver(List.of(jane, bob));
            Map<String, List<ConsumerRecord<String, String>>> read = readAll();
            assertThat(read.get(jane.decisionId().toString())).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("jane@acme.com");
                assertThat(new String(r.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8))
                        .isEqualTo(jane.decisionId().toString());
                JsonNode ocsf = JSON.readTree(r.value());
                assertThat(ocsf.get("class_uid").asInt()).isEqualTo(3001);
                assertThat(ocsf.at("/user/name").asText()).isEqualTo("Jane@Acme.com");
            });
            assertThat(read.get(bob.decisionId().toString())).singleElement()
                    .satisfies(r -> assertThat(r.key()).isEqualTo("bob@acme.com"));
        }
    }

    @Test
    void aBrokerStoppedAndStartedMidRunLosesNothingAndTheDuplicatesAreCounted() throws Exception {
        List<SiemRecord> all = new ArrayList<>();
        int failures = 0;
        try (KafkaSink sink = sink()) {
            for (int b = 0; b < 20; b++) {
                List<SiemRecord> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(record("run" + b + "." + i + "@acme.com"));
                }
                all.addAll(batch);
                if (b == 8) {
                    kafka.brokers().values().forEach(broker -> broker.shutdown());
                }
                while (true) {
                    try {
                        sink.deliver(batch);
                        break;
                    } catch (SiemDeliveryFailed e) {
                        failures++;
                        assertThat(failures).as("the broker came back, so a send succeeds again").isLessThan(20);
                        if (failures == 1) {
                            assertThat(e.kind()).isEqualTo(SiemDeliveryFailed.Kind.UNAVAILABLE);
                            kafka.brokers().values().forEach(broker -> broker.startup());
                        }
                    }
                }
            }
        }
        assertThat(failures).as("the outage was seen: nothing counted as delivered while the broker was down").isPositive();
        Map<String, List<ConsumerRecord<String, String>>> read = readAll();
        assertThat(read.keySet()).containsAll(all.stream().map(r -> r.decisionId().toString()).toList());
        long copies = all.stream().mapToLong(r -> read.get(r.decisionId().toString()).size()).sum();
        System.out.printf("Kafka outage: %d records, %d read, %d duplicates, %d failed sends%n", all.size(), copies,
                copies - all.size(), failures);
    }

    @Test
    void aClientConfigThatWouldWeakenDeliveryIsRefused(@TempDir Path dir) throws Exception {
        Path acksOne = Files.writeString(dir.resolve("acks.properties"), "acks=1\n");
        assertThatThrownBy(() -> KafkaSink.properties(settings(acksOne))).hasMessageContaining("acks=all");
        Path notIdempotent = Files.writeString(dir.resolve("idempotence.properties"), "enable.idempotence=false\n");
        assertThatThrownBy(() -> KafkaSink.properties(settings(notIdempotent)))
                .hasMessageContaining("enable.idempotence=true");
        Path sasl = Files.writeString(dir.resolve("sasl.properties"), "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        Map<String, Object> properties = KafkaSink.properties(settings(sasl));
        assertThat(properties).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("bootstrap.servers", kafka.bootstrapServers());
    }
}
