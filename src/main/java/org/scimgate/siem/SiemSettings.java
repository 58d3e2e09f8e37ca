package org.scimgate.siem;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SIEM export.
 *
 * @param endpoint      where HTTP formats post to (env {@code SIEM_ENDPOINT})
 * @param format        {@code json}, {@code splunk-hec} or {@code file} (env {@code SIEM_FORMAT}); unset means
 *                      {@code json} with an endpoint and {@code file} without one
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
        String fileGroup) {

    public enum Format { JSON, SPLUNK_HEC, FILE }

    public SiemSettings {
        if (format == null) {
            format = endpoint == null ? Format.FILE : Format.JSON;
        }
        if (format != Format.FILE && endpoint == null) {
            throw new IllegalArgumentException("SIEM_FORMAT=" + format.name().toLowerCase().replace('_', '-')
                    + " sends over HTTP and needs SIEM_ENDPOINT; set it, or use SIEM_FORMAT=file");
        }
        if (format == Format.SPLUNK_HEC && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("SIEM_FORMAT=splunk-hec needs the HEC token in SIEM_TOKEN");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("scimgate.siem.batch-size must be between 1 and 10000, not " + batchSize);
        }
        if (lease != null && timeout != null && lease.compareTo(timeout) <= 0) {
            throw new IllegalArgumentException("scimgate.siem.lease (" + lease + ") must be longer than scimgate.siem.timeout ("
                    + timeout + "): a lease that runs out while a batch is being sent lets another instance send it too");
        }
        if (fileGroup != null && fileGroup.isBlank()) {
            fileGroup = null;
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("scimgate.siem.max-attempts must be at least 1");
        }
    }
}
