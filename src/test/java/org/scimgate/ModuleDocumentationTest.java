package org.scimgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.docs.Documenter;

/**
 * Spring Modulith's documentation of the modules (a PlantUML diagram of all of them, one per
 * module, and a canvas per module in AsciiDoc) is committed under {@code docs/develop/modules}.
 * This test writes it afresh; when it differs from what is committed it replaces the committed
 * files and fails, so a changed module graph shows up as a diff to commit. The documenter lists
 * relations in no fixed order, so files are compared as sets of lines.
 */
class ModuleDocumentationTest {

    static final Path COMMITTED = Path.of("docs", "develop", "modules");
    private static final Path GENERATED = Path.of("target", "spring-modulith-docs");

    @Test
    void committedModuleDocumentationMatchesTheCode() throws IOException {
        new Documenter(ModularityTest.MODULES, Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
                .writeDocumentation();
        Map<String, Set<String>> generated = lines(read(GENERATED));
        assertThat(generated).as("what the documenter writes").containsKeys("components.puml", "module-audit.puml");
        Map<String, Set<String>> committed = lines(read(COMMITTED));
        if (!generated.equals(committed)) {
            replaceCommitted();
        }
        assertThat(committed).as("docs/develop/modules as committed (now regenerated: commit the change)")
                .isEqualTo(generated);
    }

    private static void replaceCommitted() throws IOException {
        Files.createDirectories(COMMITTED);
        for (String name : read(COMMITTED).keySet()) {
            Files.delete(COMMITTED.resolve(name));
        }
        for (String name : read(GENERATED).keySet()) {
            Files.copy(GENERATED.resolve(name), COMMITTED.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Map<String, Set<String>> lines(Map<String, String> files) {
        Map<String, Set<String>> lines = new TreeMap<>();
        files.forEach((name, text) -> lines.put(name, new TreeSet<>(text.lines().toList())));
        return lines;
    }

    /** The files of a folder by name (the documenter writes no sub-folders). */
    private static Map<String, String> read(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }
}
