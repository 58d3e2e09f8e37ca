package org.scimgate.siem;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SIEM export.
 *
 * @param endpoint      where HTTP formats post to, {@code tls://host:port} or {@code tcp://host:port} for syslog,
 *                      {@code kafka://host:port[,host:port]} for Kafka (env {@code SIEM_ENDPOINT})
 * @param format        {@code json}, {@code splunk-hec}, {@code file}, {@code syslog} or {@code kafka} (env
 *                      {@code SIEM_FORMAT}); unset means {@code json} with an endpoint and {@code file} without one
 * @param token         the Splunk HEC token (env {@code SIEM_TOKEN})
 * @param file          the NDJSON file of the {@code file} format, created readable by its owner only (0600)
 * @param batchSize     records per SIEM request
 * @param pollInterval  pause between relay runs when the backlog is empty
 * @param lease         how long a claimed batch is reserved for one relay instance; a crashed instance's rows come back after it
 * @param maxAttempts   failed deliveries before a record becomes DEAD
 * @param backoff       first retry delay; it doubles each attempt, with jitter, up to {@code maxBackoff}
 * @param maxBackoff    the longest retry delay
 * @param staleAfter    the relay's health warns when the oldest pending record is older than this
 * @param timeout       deadline of each whole SIEM exchange, from connecting to the last byte of the answer
 * @param relayEnabled  whether this instance runs the relay (env {@code SCIMGATE_RELAY_ENABLED})
 * @param fileGroup     a group (e.g. the forwarder's) that may read the {@code file} format's file: it is then
 *                      created 0640 with that group (env {@code SCIMGATE_SIEM_FILE_GROUP})
 * @param schema        how records are written: {@code native}, {@code ecs}, {@code ocsf} or {@code cef} (env
 *                      {@code SIEM_SCHEMA}); unset means {@code cef} for syslog and {@code native} otherwise
 * @param tlsCa         PEM file of the certificates syslog over TLS trusts (env {@code SIEM_TLS_CA}); unset: the JVM's
 * @param tlsClientCert PEM certificate chain syslog over TLS presents, for mutual TLS (env {@code SIEM_TLS_CLIENT_CERT})
 * @param tlsClientKey  its PKCS#8 PEM private key (env {@code SIEM_TLS_CLIENT_KEY})
 * @param kafkaTopic    the Kafka topic (env {@code SIEM_KAFKA_TOPIC})
 * @param kafkaClientConfig a Kafka client properties file (env {@code SIEM_KAFKA_CLIENT_CONFIG}), as Kafka's own
 *                      tools take: TLS and SASL ({@code security.protocol}, {@code sasl.mechanism},
 *                      {@code sasl.jaas.config}, {@code ssl.truststore.location}, …); it cannot weaken delivery
 * @param hecAckTimeout how long the {@code splunk-hec} format waits for Splunk's indexer acknowledgement of a batch
 *                      HEC answered with an {@code ackId} (env {@code SIEM_HEC_ACK_TIMEOUT}); without it in time the
 *                      batch is not delivered and is sent again. {@code timeout} plus this must stay below {@code lease}
 */
@ConfigurationProperties("scimgate.siem")
record SiemSettings(
        URI endpoint,
        Format format,
        String token,
        @DefaultValue("./data/siem/decisions.ndjson") Path file,
        @DefaultValue("100") int batchSize,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("12") int maxAttempts,
        @DefaultValue("5s") Duration backoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("5m") Duration staleAfter,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("true") boolean relayEnabled,
        String fileGroup,
        SiemSchema schema,
        Path tlsCa,
        Path tlsClientCert,
        Path tlsClientKey,
        @DefaultValue("scimgate.decisions") String kafkaTopic,
        Path kafkaClientConfig,
        @DefaultValue("40s") Duration hecAckTimeout) {

    public enum Format {
        JSON, SPLUNK_HEC, FILE, SYSLOG, KAFKA;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @ConstructorBinding
    public SiemSettings {
        if (format == null) {
            format = endpoint == null ? Format.FILE : Format.JSON;
        }
        if (schema == null) {
            schema = format == Format.SYSLOG ? SiemSchema.CEF : SiemSchema.NATIVE;
        }
        if (format != Format.FILE && endpoint == null) {
            throw new IllegalArgumentException("SIEM_FORMAT=" + format.label() + switch (format) {
                case SYSLOG -> " needs SIEM_ENDPOINT=tls://host:port";
                case KAFKA -> " needs SIEM_ENDPOINT=kafka://host:port";
                default -> " sends over HTTP and needs SIEM_ENDPOINT";
            } + "; set it, or use SIEM_FORMAT=file");
        }
        if (format == Format.SYSLOG && !("tls".equals(endpoint.getScheme()) || "tcp".equals(endpoint.getScheme()))
                || format == Format.SYSLOG && (endpoint.getHost() == null || endpoint.getPort() < 0)) {
            throw new IllegalArgumentException("SIEM_FORMAT=syslog needs SIEM_ENDPOINT=tls://host:port (or tcp://host:port "
                    + "for a relay on the same machine), not " + endpoint);
        }
        if (format == Format.KAFKA && (!"kafka".equals(endpoint.getScheme()) || endpoint.getRawAuthority() == null)) {
            throw new IllegalArgumentException("SIEM_FORMAT=kafka needs SIEM_ENDPOINT=kafka://host:port[,host:port], not "
                    + endpoint);
        }
        if (format == Format.SPLUNK_HEC && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("SIEM_FORMAT=splunk-hec needs the HEC token in SIEM_TOKEN");
        }
        tlsCa = unlessEmpty(tlsCa); // an unset environment variable binds as an empty path
        tlsClientCert = unlessEmpty(tlsClientCert);
        tlsClientKey = unlessEmpty(tlsClientKey);
        kafkaClientConfig = unlessEmpty(kafkaClientConfig);
        if ((tlsClientCert == null) != (tlsClientKey == null)) {
            throw new IllegalArgumentException("mutual TLS needs both SIEM_TLS_CLIENT_CERT and SIEM_TLS_CLIENT_KEY, or neither");
        }
        if (kafkaTopic == null || kafkaTopic.isBlank()) {
            kafkaTopic = "scimgate.decisions";
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("scimgate.siem.batch-size must be between 1 and 10000, not " + batchSize);
        }
        if (lease != null && timeout != null && lease.compareTo(timeout) <= 0) {
            throw new IllegalArgumentException("scimgate.siem.lease (" + lease + ") must be longer than scimgate.siem.timeout ("
                    + timeout + "): a lease that runs out while a batch is being sent lets another instance send it too");
        }
        if (hecAckTimeout == null) {
            hecAckTimeout = DEFAULT_HEC_ACK_TIMEOUT;
        }
        if (hecAckTimeout.isNegative() || hecAckTimeout.isZero()) {
            throw new IllegalArgumentException("scimgate.siem.hec-ack-timeout (SIEM_HEC_ACK_TIMEOUT) must be positive, not "
                    + hecAckTimeout);
        }
        if (format == Format.SPLUNK_HEC && lease != null && timeout != null
                && lease.compareTo(timeout.plus(hecAckTimeout)) <= 0) {
            throw new IllegalArgumentException("scimgate.siem.lease (" + lease + ") must be longer than scimgate.siem.timeout ("
                    + timeout + ") plus scimgate.siem.hec-ack-timeout (SIEM_HEC_ACK_TIMEOUT, " + hecAckTimeout + "): the "
                    + "relay holds a batch while Splunk HEC acknowledges it, and a lease that runs out first lets another "
                    + "instance send it too; lower SIEM_HEC_ACK_TIMEOUT or raise the lease");
        }
        if (fileGroup != null && fileGroup.isBlank()) {
            fileGroup = null;
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("scimgate.siem.max-attempts must be at least 1");
        }
    }

    static final Duration DEFAULT_HEC_ACK_TIMEOUT = Duration.ofSeconds(40);

    /**
     * How long one send may hold its batch: the exchange's deadline and, for Splunk HEC, the wait for
     * its indexer acknowledgement. The lease is always longer.
     */
    Duration sendDeadline() {
        return format == Format.SPLUNK_HEC ? timeout.plus(hecAckTimeout) : timeout;
    }

    private static Path unlessEmpty(Path path) {
        return path == null || path.toString().isEmpty() ? null : path;
    }

    /** Every setting but the Splunk HEC acknowledgement wait, which takes its default. */
    SiemSettings(URI endpoint, Format format, String token, Path file, int batchSize, Duration pollInterval, Duration lease,
                 int maxAttempts, Duration backoff, Duration maxBackoff, Duration staleAfter, Duration timeout,
                 boolean relayEnabled, String fileGroup, SiemSchema schema, Path tlsCa, Path tlsClientCert,
                 Path tlsClientKey, String kafkaTopic, Path kafkaClientConfig) {
        this(endpoint, format, token, file, batchSize, pollInterval, lease, maxAttempts, backoff, maxBackoff, staleAfter,
                timeout, relayEnabled, fileGroup, schema, tlsCa, tlsClientCert, tlsClientKey, kafkaTopic, kafkaClientConfig,
                null);
    }

    /** The HTTP and file settings alone, with the schema each format defaults to. */
    SiemSettings(URI endpoint, Format format, String token, Path file, int batchSize, Duration pollInterval, Duration lease,
                 int maxAttempts, Duration backoff, Duration maxBackoff, Duration staleAfter, Duration timeout,
                 boolean relayEnabled, String fileGroup) {
        this(endpoint, format, token, file, batchSize, pollInterval, lease, maxAttempts, backoff, maxBackoff, staleAfter,
                timeout, relayEnabled, fileGroup, null, null, null, null, null, null, null);
    }
}
