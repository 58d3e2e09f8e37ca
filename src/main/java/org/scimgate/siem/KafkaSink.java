package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka: each record to {@code SIEM_KAFKA_TOPIC}, its value the record in the configured schema,
 * its key the account's userName (lower-cased; a chain checkpoint's key is {@code audit-chain}), so
 * the decisions about one user, and the remediation outcomes about that user after them, stay in
 * one partition, in order; a policy change step's key is its proposal, so one proposal's steps keep
 * their order. The header {@code event_id} holds the record's own event id (a decision's id).
 * The producer is idempotent with {@code acks=all}: a batch counts as delivered
 * only when every record in it is acknowledged by all in-sync replicas. Further client settings
 * (TLS, SASL) come from {@code scimgate.siem.kafka.*}; none may weaken those guarantees.
 */
class KafkaSink implements SiemSink, AutoCloseable {

    static final String CHECKPOINT_KEY = "audit-chain";
    private static final Map<String, String> GUARANTEES = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final SiemMapping mapping;
    private final ObjectMapper json;
    private final Duration timeout;

    KafkaSink(SiemSettings settings, SiemMapping mapping, ObjectMapper json) {
        this.topic = settings.kafkaTopic();
        this.mapping = mapping;
        this.json = json;
        this.timeout = settings.timeout();
        this.producer = new KafkaProducer<>(properties(settings), new StringSerializer(), new StringSerializer());
    }

    static Map<String, Object> properties(SiemSettings settings) {
        Map<String, Object> properties = new HashMap<>();
        if (settings.kafkaClientConfig() != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(settings.kafkaClientConfig())) {
                file.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("SIEM_KAFKA_CLIENT_CONFIG (" + settings.kafkaClientConfig()
                        + ") cannot be read: " + e.getMessage(), e);
            }
            file.stringPropertyNames().forEach(name -> properties.put(name, file.getProperty(name)));
        }
        GUARANTEES.keySet().forEach(key -> {
            Object given = properties.get(key);
            if (given != null && !GUARANTEES.get(key).equals(given.toString().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("SIEM_KAFKA_CLIENT_CONFIG sets " + key + "=" + given + ", which would weaken delivery; "
                        + "the Kafka sink always uses " + key + "=" + GUARANTEES.get(key));
            }
        });
        properties.putAll(GUARANTEES);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.endpoint().getRawAuthority());
        long millis = settings.timeout().toMillis();
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, SiemRecord.SOURCE + "-relay");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, millis / 2));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(2000, millis));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1000, millis / 2));
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        return properties;
    }

    static String key(SiemEvent event) {
        if (event instanceof SiemRecord record && record.userName() != null) {
            return record.userName().toLowerCase(Locale.ROOT);
        }
        if (event instanceof SiemRecord record) {
            return record.decisionId().toString();
        }
        if (RemediationOutcome.is(event)) {
            RemediationOutcome outcome = RemediationOutcome.of((SiemNotice) event);
            return outcome.userName() != null ? outcome.userName().toLowerCase(Locale.ROOT) : outcome.userId();
        }
        if (event instanceof PolicyChange change) {
            return "policy-change:" + change.proposalId();
        }
        return CHECKPOINT_KEY;
    }

    @Override
    public void deliver(List<? extends SiemEvent> records) throws SiemDeliveryFailed {
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(records.size());
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        try {
            for (SiemEvent event : records) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, key(event), mapping.text(event, json));
                record.headers().add("event_id", event.eventId().getBytes(StandardCharsets.UTF_8));
                acknowledgements.add(producer.send(record));
            }
            for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                acknowledgement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiemDeliveryFailed("interrupted while waiting for Kafka's acknowledgement", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (TimeoutException e) {
            throw new SiemDeliveryFailed("Kafka did not acknowledge the batch within " + timeout.toMillis() + " ms", e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    private SiemDeliveryFailed failure(Throwable cause) {
        String message = "Kafka did not take the batch for " + topic + ": " + cause;
        if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                || cause instanceof InvalidTopicException) {
            return new SiemDeliveryFailed(SiemDeliveryFailed.Kind.SETUP_REFUSED, message, cause);
        }
        if (cause instanceof RecordTooLargeException) {
            return new SiemDeliveryFailed(SiemDeliveryFailed.Kind.RECORDS_REFUSED, message, cause);
        }
        return new SiemDeliveryFailed(message, cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    @Override
    public String name() {
        return "kafka";
    }
}
