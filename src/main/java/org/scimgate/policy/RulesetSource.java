package org.scimgate.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of a rules directory, read once so that what is compiled is exactly what is hashed:
 * DRL files and decision tables (anywhere below the directory) and the reference data, keyed by
 * their path relative to the directory with forward slashes. The version is a hash of these, the
 * files that decide; the analysts' {@code examples.yaml} files are read beside them.
 */
record RulesetSource(Map<String, byte[]> files, Map<String, byte[]> examples, String version) {

    static final String EXAMPLES = "examples.yaml";
    private static final java.util.List<String> RULE_SUFFIXES = java.util.List.of(".drl", ".drl.csv", ".drl.xls", ".drl.xlsx");

    static RulesetSource read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new RulesetRejected(List.of(new RuleProblem(directory.toString(), 0, 0,
                    "the rules directory does not exist or is not a directory; set SCIMGATE_RULES_DIR")));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, byte[]> examples = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            List<Path> sources = paths.filter(Files::isRegularFile)
                    .filter(p -> isSource(directory.relativize(p)) || isExamples(directory.relativize(p)))
                    .sorted()
                    .toList();
            for (Path p : sources) {
                (isExamples(directory.relativize(p)) ? examples : files)
                        .put(relativeName(directory, p), Files.readAllBytes(p));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new RulesetRejected(List.of(new RuleProblem(directory.toString(), 0, 0,
                    "the rules directory cannot be read: " + e.getMessage())));
        }
        return new RulesetSource(Map.copyOf(files), Map.copyOf(examples), hash(files));
    }

    /**
     * Whether {@code other} holds exactly these files, deciding files and examples alike, byte for
     * byte: what was compiled from one may stand for the other.
     */
    boolean sameFilesAs(RulesetSource other) {
        return sameContent(files, other.files) && sameContent(examples, other.examples);
    }

    private static boolean sameContent(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> file : a.entrySet()) {
            if (!java.util.Arrays.equals(file.getValue(), b.get(file.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** DRL files and decision tables, in sorted order. */
    Map<String, byte[]> ruleFiles() {
        Map<String, byte[]> rules = new LinkedHashMap<>();
        files.keySet().stream().filter(RulesetSource::isRuleFile).sorted().forEach(n -> rules.put(n, files.get(n)));
        return rules;
    }

    private static boolean isRuleFile(String name) {
        return RULE_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    static boolean isExamples(Path relative) {
        return relative.getFileName().toString().equals(EXAMPLES) && !hidden(relative);
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    String referenceData() {
        byte[] data = files.get(ReferenceData.FILE_NAME);
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    static boolean isSource(Path relative) {
        if (hidden(relative)) {
            return false;
        }
        String name = relative.toString().replace('\\', '/');
        return isRuleFile(name) || name.equals(ReferenceData.FILE_NAME);
    }

    private static String relativeName(Path directory, Path file) {
        return directory.relativize(file).toString().replace('\\', '/');
    }

    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.keySet().stream().sorted().forEach(name -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(files.get(name));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
