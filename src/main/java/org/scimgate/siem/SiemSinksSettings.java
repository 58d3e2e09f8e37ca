package org.scimgate.siem;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Several SIEM sinks at once ({@link ConfiguredSinks}). Unset, the service has one sink, named
 * {@code default}, configured by {@link SiemSettings} alone.
 *
 * @param sinkNames the sinks, by name (env {@code SIEM_SINKS}, e.g. {@code kafka,file}); each name matches
 *                  {@code [a-z][a-z0-9-]*}
 * @param sinks     each named sink's own settings, {@code scimgate.siem.sinks.<name>.*} (env
 *                  {@code SCIMGATE_SIEM_SINKS_<NAME>_*}); the relay's tuning (batch size, lease, attempts,
 *                  backoff, timeout) stays shared
 */
@ConfigurationProperties("scimgate.siem")
record SiemSinksSettings(List<String> sinkNames, Map<String, Sink> sinks) {

    SiemSinksSettings {
        sinkNames = sinkNames == null ? List.of()
                : sinkNames.stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
        sinks = sinks == null ? Map.of() : Map.copyOf(sinks);
    }

    /**
     * One named sink: what {@code SIEM_FORMAT}, {@code SIEM_ENDPOINT}, … are for the single sink.
     *
     * @param format   {@code json}, {@code splunk-hec}, {@code file}, {@code syslog} or {@code kafka}; unset, the sink's
     *                 name when that is a format's (a sink named {@code kafka} is a Kafka sink)
     * @param file     the file of the {@code file} format; unset, {@code <name>.ndjson} beside the single sink's file
     * @param schema   {@code native}, {@code ecs}, {@code ocsf} or {@code cef}; unset, as for the single sink
     */
    record Sink(String format, URI endpoint, String schema, String token, Path file, String fileGroup, Path tlsCa,
                Path tlsClientCert, Path tlsClientKey, String kafkaTopic, Path kafkaClientConfig) {
    }
}
