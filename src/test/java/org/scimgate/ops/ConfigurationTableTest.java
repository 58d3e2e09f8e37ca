package org.scimgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.yaml.snakeyaml.Yaml;

/** The configuration page's table (docs/operate/configuration.md), application.yml and the settings records say the same thing. */
class ConfigurationTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.\\-]+)` \\| (`([A-Z0-9_]+)`|—) \\|");
    private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([A-Z0-9_]+):.*}$");

    private static Map<String, String> readmeTable() throws IOException {
        String table = Files.readString(Path.of("docs/operate/configuration.md"));
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : table.lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.put(m.group(1), m.group(3));
            }
        }
        return rows;
    }

    private static Map<String, String> applicationYml() throws IOException {
        Map<String, Object> root = new Yaml().load(Files.readString(Path.of("src/main/resources/application.yml")));
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", root, flat);
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Map<String, String> out) {
        if (node instanceof Map<?, ?> map && map.isEmpty() && !prefix.isEmpty()) {
            out.put(prefix, "{}"); // a map of named entries, empty by default (scimgate.siem.sinks)
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, out));
        } else {
            out.put(prefix, String.valueOf(node));
        }
    }

    @Test
    void everyScimgateSettingInApplicationYmlIsInTheReadmeTableAndBack() throws IOException {
        Map<String, String> readme = readmeTable();
        Map<String, String> yml = applicationYml();
        TreeSet<String> ymlSettings = new TreeSet<>(yml.keySet().stream().filter(k -> k.startsWith("scimgate.")).toList());
        TreeSet<String> readmeSettings = new TreeSet<>(readme.keySet().stream().filter(k -> k.startsWith("scimgate.")).toList());
        assertThat(readmeSettings).as("documented settings that application.yml lacks").isSubsetOf(ymlSettings);
        assertThat(ymlSettings).as("application.yml settings docs/operate/configuration.md does not document").isSubsetOf(readmeSettings);
    }

    @Test
    void theReadmeNamesTheEnvironmentVariableApplicationYmlReads() throws IOException {
        Map<String, String> readme = readmeTable();
        applicationYml().forEach((key, value) -> {
            Matcher placeholder = PLACEHOLDER.matcher(value);
            if (placeholder.matches() && readme.containsKey(key)) {
                assertThat(readme.get(key)).as("environment variable of %s", key).isEqualTo(placeholder.group(1));
            }
        });
    }

    @Test
    void everySettingsRecordComponentIsInApplicationYml() throws IOException {
        Map<String, String> yml = applicationYml();
        List<Class<?>> settingsClasses = settingsClasses();
        assertThat(settingsClasses).as("settings classes found by scanning")
                .extracting(Class::getSimpleName).contains("WebhookSettings", "DecisionLogSettings", "PolicySettings");
        for (Class<?> settings : settingsClasses) {
            String prefix = settings.getAnnotation(ConfigurationProperties.class).value();
            for (var component : settings.getRecordComponents()) {
                String key = prefix + "." + component.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
                assertThat(yml).as("%s in application.yml", key).containsKey(key);
            }
        }
    }

    /** Every {@code @ConfigurationProperties} record of the service: a new one cannot be forgotten here. */
    private static List<Class<?>> settingsClasses() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> found = new ArrayList<>();
        for (var candidate : scanner.findCandidateComponents("org.scimgate")) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
            if (type.isRecord()) {
                found.add(type);
            }
        }
        return found;
    }
}
