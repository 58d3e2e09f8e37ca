package org.scimgate.impact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A candidate ruleset written from an analyst's request: the live rules directory copied to a
 * temporary one, with the request's files laid over it (a null content deletes the file). Only
 * rule files, decision tables in CSV, {@code reference-data.yaml} and {@code examples.yaml} may be
 * written, only inside the directory, and only so much of them.
 */
final class CandidateOverlay implements AutoCloseable {

    static final int MAX_FILES = 64;
    static final int MAX_FILE_CHARS = 256 * 1024;
    static final int MAX_TOTAL_CHARS = 2 * 1024 * 1024;
    private static final List<String> COPIED = List.of(".drl", ".drl.csv", ".drl.xls", ".drl.xlsx", ".yaml");

    private final Path directory;

    private CandidateOverlay(Path directory) {
        this.directory = directory;
    }

    /** A file name or content the overlay refuses; the message says which and why. */
    static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    static CandidateOverlay write(Path liveRules, Map<String, String> files) throws IOException {
        Map<String, String> overlay = files == null ? Map.of() : files;
        if (overlay.size() > MAX_FILES) {
            throw new Refused("at most " + MAX_FILES + " files may be changed at once, not " + overlay.size());
        }
        long total = 0;
        for (Map.Entry<String, String> file : overlay.entrySet()) {
            check(file.getKey());
            int chars = file.getValue() == null ? 0 : file.getValue().length();
            if (chars > MAX_FILE_CHARS) {
                throw new Refused(file.getKey() + " is longer than " + MAX_FILE_CHARS + " characters");
            }
            total += chars;
        }
        if (total > MAX_TOTAL_CHARS) {
            throw new Refused("the files are longer than " + MAX_TOTAL_CHARS + " characters together");
        }
        CandidateOverlay candidate = new CandidateOverlay(Files.createTempDirectory("scimgate-candidate"));
        try {
            candidate.copy(liveRules.toAbsolutePath().normalize());
            for (Map.Entry<String, String> file : overlay.entrySet()) {
                candidate.apply(file.getKey(), file.getValue());
            }
            return candidate;
        } catch (IOException | RuntimeException e) {
            candidate.close();
            throw e;
        }
    }

    Path directory() {
        return directory;
    }

    /** Relative, forward slashes, no {@code .} or {@code ..} or hidden parts, and a file type rules are made of. */
    static void check(String name) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw new Refused("a file name must be a relative path of 1 to 255 characters");
        }
        if (name.startsWith("/") || name.contains("\\") || name.contains(":") || name.chars().anyMatch(c -> c < 0x20)) {
            throw new Refused(name + ": a file name must be a relative path with forward slashes");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.startsWith(".")) {
                throw new Refused(name + ": a file name must stay inside the rules directory (no empty, . or .. parts,"
                        + " no hidden files)");
            }
        }
        String file = name.substring(name.lastIndexOf('/') + 1);
        if (!(name.endsWith(".drl") || name.endsWith(".drl.csv") || name.equals("reference-data.yaml")
                || file.equals("examples.yaml"))) {
            throw new Refused(name + ": only .drl files, .drl.csv decision tables, reference-data.yaml (at the top)"
                    + " and examples.yaml files can be changed");
        }
    }

    private void copy(Path live) throws IOException {
        try (Stream<Path> paths = Files.walk(live)) {
            for (Path source : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Path relative = live.relativize(source);
                String name = relative.toString().replace('\\', '/');
                if (COPIED.stream().anyMatch(name::endsWith) && !name.startsWith(".") && !name.contains("/.")) {
                    Path target = directory.resolve(relative.toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                }
            }
        }
    }

    private void apply(String name, String content) throws IOException {
        Path target = directory.resolve(name).normalize();
        if (!target.startsWith(directory)) {
            throw new Refused(name + ": a file name must stay inside the rules directory");
        }
        if (content == null) {
            if (!Files.deleteIfExists(target)) {
                throw new Refused(name + " is not in the live rules, so it cannot be deleted");
            }
            return;
        }
        Files.createDirectories(target.getParent());
        Files.writeString(target, content, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
