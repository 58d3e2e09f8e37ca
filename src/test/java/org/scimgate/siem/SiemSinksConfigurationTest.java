package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

/**
 * How the sinks are named and configured: from the environment as an operator sets it, bound as
 * the service binds it, and every combination that cannot work refused at start-up with a message
 * that names the setting to fix.
 */
class SiemSinksConfigurationTest {

    @Test
    void withoutSiemSinksTheSingleSinkIsNamedDefaultAndConfiguredAsBefore() {
        List<ConfiguredSinks.Definition> sinks = resolve(Map.of("SIEM_FORMAT", "file"));
        assertThat(sinks).singleElement().satisfies(sink -> {
            assertThat(sink.name()).isEqualTo("default");
            assertThat(sink.settings().format()).isEqualTo(SiemSettings.Format.FILE);
            assertThat(sink.settings().file()).isEqualTo(Path.of("data/siem/decisions.ndjson"));
        });
    }

    @Test
    void kafkaAndTheFileFromTheEnvironmentEachWithItsOwnSchema() {
        List<ConfiguredSinks.Definition> sinks = resolve(Map.of(
                "SIEM_SINKS", "kafka,file",
                "SCIMGATE_SIEM_SINKS_KAFKA_ENDPOINT", "kafka://127.0.0.1:9092",
                "SCIMGATE_SIEM_SINKS_KAFKA_SCHEMA", "ocsf",
                "SCIMGATE_SIEM_SINKS_KAFKA_KAFKA_TOPIC", "security.decisions",
                "SCIMGATE_SIEM_SINKS_FILE_SCHEMA", "ecs",
                "SCIMGATE_SIEM_MAX_ATTEMPTS", "7"));
        assertThat(sinks).extracting(ConfiguredSinks.Definition::name).containsExactly("kafka", "file");
        SiemSettings kafka = sinks.get(0).settings();
        assertThat(kafka.format()).as("a sink named after a format has that format").isEqualTo(SiemSettings.Format.KAFKA);
        assertThat(kafka.schema()).isEqualTo(SiemSchema.OCSF);
        assertThat(kafka.kafkaTopic()).isEqualTo("security.decisions");
        assertThat(kafka.maxAttempts()).as("the relay's tuning is shared").isEqualTo(7);
        SiemSettings file = sinks.get(1).settings();
        assertThat(file.format()).isEqualTo(SiemSettings.Format.FILE);
        assertThat(file.schema()).isEqualTo(SiemSchema.ECS);
        assertThat(file.file()).as("a file of its own beside the single sink's").isEqualTo(Path.of("data/siem/file.ndjson"));
    }

    @Test
    void aSinkNamedDefaultKeepsTheStateOfTheSingleSinkBeside() {
        List<ConfiguredSinks.Definition> sinks = resolve(Map.of("SIEM_SINKS", "default,archive",
                "SCIMGATE_SIEM_SINKS_DEFAULT_FORMAT", "json",
                "SCIMGATE_SIEM_SINKS_DEFAULT_ENDPOINT", "https://127.0.0.1:8088/ingest",
                "SCIMGATE_SIEM_SINKS_ARCHIVE_FORMAT", "file"));
        assertThat(sinks).extracting(ConfiguredSinks.Definition::name).containsExactly("default", "archive");
        assertThat(sinks.get(0).settings().format()).isEqualTo(SiemSettings.Format.JSON);
    }

    @Test
    void refusesTheSameNameTwice() {
        assertThatThrownBy(() -> resolve(Map.of("SIEM_SINKS", "file,kafka,file",
                "SCIMGATE_SIEM_SINKS_KAFKA_ENDPOINT", "kafka://127.0.0.1:9092")))
                .hasMessage("SIEM_SINKS names 'file' twice: each sink keeps its own delivery state and needs a name of its own");
    }

    @Test
    void refusesANameThatIsNotASinkName() {
        for (String name : List.of("Kafka", "1st", "two_words", "-x", "a".repeat(41))) {
            assertThatThrownBy(() -> resolve(Map.of("SIEM_SINKS", "file," + name))).as(name)
                    .hasMessageStartingWith("SIEM_SINKS: '" + name + "' is not a sink name: a lower-case letter, then "
                            + "lower-case letters, digits or '-', at most 40 characters");
        }
    }

    @Test
    void refusesAnUnknownFormatOrSchemaAndASinkWithoutAFormat() {
        assertThatThrownBy(() -> resolve(Map.of("SIEM_SINKS", "siem", "SCIMGATE_SIEM_SINKS_SIEM_FORMAT", "graylog")))
                .hasMessage("SIEM sink 'siem': unknown format 'graylog'; one of json, splunk-hec, file, syslog, kafka");
        assertThatThrownBy(() -> resolve(Map.of("SIEM_SINKS", "siem")))
                .hasMessage("SIEM sink 'siem' needs a format: scimgate.siem.sinks.siem.format, one of json, splunk-hec, "
                        + "file, syslog, kafka");
        assertThatThrownBy(() -> resolve(Map.of("SIEM_SINKS", "file", "SCIMGATE_SIEM_SINKS_FILE_SCHEMA", "leef")))
                .hasMessage("SIEM sink 'file': unknown schema 'leef'; one of native, ecs, ocsf, cef");
    }

    @Test
    void refusesASinkWhoseOwnSettingsCannotWorkNamingTheSink() {
        assertThatThrownBy(() -> resolve(Map.of("SIEM_SINKS", "kafka,file")))
                .hasMessageStartingWith("SIEM sink 'kafka' (scimgate.siem.sinks.kafka.*, env SCIMGATE_SIEM_SINKS_KAFKA_*): "
                        + "SIEM_FORMAT=kafka needs SIEM_ENDPOINT=kafka://host:port");
    }

    @Test
    void refusesSettingsOfASinkSiemSinksDoesNotName() {
        assertThatThrownBy(() -> resolve(Map.of("SIEM_SINKS", "kafka",
                "SCIMGATE_SIEM_SINKS_KAFKA_ENDPOINT", "kafka://127.0.0.1:9092",
                "SCIMGATE_SIEM_SINKS_FILES_FORMAT", "file")))
                .hasMessage("scimgate.siem.sinks.files.* is set but SIEM_SINKS (kafka) does not name 'files'");
        assertThatThrownBy(() -> resolve(Map.of("SCIMGATE_SIEM_SINKS_FILE_FORMAT", "file")))
                .hasMessageStartingWith("scimgate.siem.sinks.file.* is set but SIEM_SINKS (scimgate.siem.sink-names) names "
                        + "no sinks");
    }

    @Test
    void refusesTheSingleSinksEndpointBesideNamedSinks() {
        assertThatThrownBy(() -> resolve(Map.of("SIEM_SINKS", "file", "SIEM_ENDPOINT", "https://127.0.0.1:8088/")))
                .hasMessageStartingWith("SIEM_ENDPOINT configures the single sink, but SIEM_SINKS names several");
    }

    @Test
    void refusesTwoFileSinksWritingOneFile() {
        assertThatThrownBy(() -> resolve(Map.of("SIEM_SINKS", "a,b",
                "SCIMGATE_SIEM_SINKS_A_FORMAT", "file", "SCIMGATE_SIEM_SINKS_A_FILE", "/var/lib/x/siem.ndjson",
                "SCIMGATE_SIEM_SINKS_B_FORMAT", "file", "SCIMGATE_SIEM_SINKS_B_FILE", "/var/lib/x/siem.ndjson")))
                .hasMessageStartingWith("SIEM sinks 'a' and 'b' both write /var/lib/x/siem.ndjson");
    }

    /** Binds the environment as the service does: the application.yml placeholders, then relaxed binding. */
    private static List<ConfiguredSinks.Definition> resolve(Map<String, String> env) {
        MockEnvironment environment = new MockEnvironment();
        environment.setProperty("scimgate.siem.endpoint", "${SIEM_ENDPOINT:}");
        environment.setProperty("scimgate.siem.format", "${SIEM_FORMAT:}");
        environment.setProperty("scimgate.siem.file", "./data/siem/decisions.ndjson");
        environment.setProperty("scimgate.siem.sink-names", "${SIEM_SINKS:}");
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(env)));
        Binder binder = new Binder(ConfigurationPropertySources.from(environment.getPropertySources()),
                new org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver(environment));
        SiemSettings single = binder.bindOrCreate("scimgate.siem", Bindable.of(SiemSettings.class));
        SiemSinksSettings named = binder.bindOrCreate("scimgate.siem", Bindable.of(SiemSinksSettings.class));
        return ConfiguredSinks.of(single, named);
    }
}
