package org.scimgate.siem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which sinks the relay delivers to, each with its settings, from {@link SiemSettings} and
 * {@link SiemSinksSettings}. Without {@code SIEM_SINKS} there is one sink, {@code default}, exactly as
 * configured before sinks had names. A combination that cannot work is refused at start-up with a
 * message naming the setting to fix.
 */
final class ConfiguredSinks {

    /** The single sink's name; a database of a version before V21 holds its delivery state under it. */
    static final String DEFAULT = "default";
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    record Definition(String name, SiemSettings settings) {
    }

    private ConfiguredSinks() {
    }

    static List<Definition> of(SiemSettings single, SiemSinksSettings named) {
        if (named.sinkNames().isEmpty()) {
            if (!named.sinks().isEmpty()) {
                throw refused("scimgate.siem.sinks." + named.sinks().keySet().iterator().next()
                        + ".* is set but SIEM_SINKS (scimgate.siem.sink-names) names no sinks; name them there, e.g. "
                        + "SIEM_SINKS=" + String.join(",", named.sinks().keySet()));
            }
            return List.of(new Definition(DEFAULT, single));
        }
        if (single.endpoint() != null) {
            throw refused("SIEM_ENDPOINT configures the single sink, but SIEM_SINKS names several: give each its own "
                    + "endpoint (SCIMGATE_SIEM_SINKS_<NAME>_ENDPOINT) and unset SIEM_ENDPOINT");
        }
        Set<String> seen = new HashSet<>();
        for (String name : named.sinkNames()) {
            if (!NAME.matcher(name).matches()) {
                throw refused("SIEM_SINKS: '" + name + "' is not a sink name: a lower-case letter, then lower-case "
                        + "letters, digits or '-', at most 40 characters");
            }
            if (!seen.add(name)) {
                throw refused("SIEM_SINKS names '" + name + "' twice: each sink keeps its own delivery state and needs a "
                        + "name of its own");
            }
        }
        Map<String, SiemSinksSettings.Sink> byName = new HashMap<>();
        named.sinks().forEach((key, sink) -> byName.put(key.toLowerCase(Locale.ROOT), sink));
        for (String key : byName.keySet()) {
            if (!seen.contains(key)) {
                throw refused("scimgate.siem.sinks." + key + ".* is set but SIEM_SINKS (" + String.join(",", named.sinkNames())
                        + ") does not name '" + key + "'");
            }
        }
        List<Definition> definitions = new ArrayList<>();
        Map<String, String> files = new HashMap<>();
        for (String name : named.sinkNames()) {
            SiemSettings settings = settings(name, byName.get(name), single);
            if (settings.format() == SiemSettings.Format.FILE) {
                String file = settings.file().toAbsolutePath().normalize().toString();
                String other = files.putIfAbsent(file, name);
                if (other != null) {
                    throw refused("SIEM sinks '" + other + "' and '" + name + "' both write " + file
                            + ": give one its own file (scimgate.siem.sinks." + name + ".file)");
                }
            }
            definitions.add(new Definition(name, settings));
        }
        return List.copyOf(definitions);
    }

    private static SiemSettings settings(String name, SiemSinksSettings.Sink sink, SiemSettings single) {
        if (sink == null) {
            sink = new SiemSinksSettings.Sink(null, null, null, null, null, null, null, null, null, null, null);
        }
        SiemSettings.Format format = format(name, sink.format());
        SiemSchema schema = schema(name, sink.schema());
        Path file = sink.file() != null && !sink.file().toString().isEmpty() ? sink.file()
                : single.file().resolveSibling(name + ".ndjson");
        try {
            return new SiemSettings(sink.endpoint(), format, sink.token(), file, single.batchSize(), single.pollInterval(),
                    single.lease(), single.maxAttempts(), single.backoff(), single.maxBackoff(), single.staleAfter(),
                    single.timeout(), single.relayEnabled(), sink.fileGroup(), schema, sink.tlsCa(), sink.tlsClientCert(),
                    sink.tlsClientKey(), sink.kafkaTopic(), sink.kafkaClientConfig(), single.hecAckTimeout());
        } catch (IllegalArgumentException e) {
            throw refused("SIEM sink '" + name + "' (scimgate.siem.sinks." + name + ".*, env SCIMGATE_SIEM_SINKS_"
                    + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_*): " + e.getMessage());
        }
    }

    private static SiemSettings.Format format(String name, String format) {
        String wanted = format == null || format.isBlank() ? name : format.trim().toLowerCase(Locale.ROOT);
        for (SiemSettings.Format f : SiemSettings.Format.values()) {
            if (f.label().equals(wanted)) {
                return f;
            }
        }
        String formats = Arrays.stream(SiemSettings.Format.values()).map(SiemSettings.Format::label)
                .collect(Collectors.joining(", "));
        if (format == null || format.isBlank()) {
            throw refused("SIEM sink '" + name + "' needs a format: scimgate.siem.sinks." + name + ".format, one of "
                    + formats);
        }
        throw refused("SIEM sink '" + name + "': unknown format '" + format + "'; one of " + formats);
    }

    private static SiemSchema schema(String name, String schema) {
        if (schema == null || schema.isBlank()) {
            return null;
        }
        for (SiemSchema s : SiemSchema.values()) {
            if (s.label().equals(schema.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw refused("SIEM sink '" + name + "': unknown schema '" + schema + "'; one of "
                + Arrays.stream(SiemSchema.values()).map(SiemSchema::label).collect(Collectors.joining(", ")));
    }

    private static IllegalStateException refused(String message) {
        return new IllegalStateException(message);
    }
}
