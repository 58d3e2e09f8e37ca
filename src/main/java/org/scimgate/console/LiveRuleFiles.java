package org.scimgate.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.scimgate.policy.PolicyEngine;
import org.springframework.stereotype.Component;

/**
 * The text files of the live rules directory a candidate may change (rules, decision tables, reference data and
 * examples), by path under the directory: the Impact page starts a candidate from one and shows the change against
 * it. Only a file this lists is ever read, so no path from a form reaches outside the directory.
 */
@Component
class LiveRuleFiles {

    static final int MAX_CHARS = 256 * 1024;
    private static final List<String> TEXT = List.of(".drl", ".csv", ".yaml", ".yml");

    private final PolicyEngine engine;

    LiveRuleFiles(PolicyEngine engine) {
        this.engine = engine;
    }

    List<String> paths() {
        Path dir = engine.rulesDir().toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(dir, 8)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> TEXT.stream().anyMatch(ext -> f.getFileName().toString().endsWith(ext)))
                    .map(f -> dir.relativize(f).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith(".") && !p.contains("/."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live file at that path, if it is one of {@link #paths()} and not too long to show. */
    Optional<String> read(String path) {
        if (path == null || !paths().contains(path.strip())) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(engine.rulesDir().resolve(path.strip()), StandardCharsets.UTF_8);
            return text.length() > MAX_CHARS ? Optional.empty() : Optional.of(text.replace("\r\n", "\n"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
