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
 * DRL files (anywhere below the directory) and the reference data, keyed by their path relative
 * to the directory with forward slashes, in sorted order.
 */
record RulesetSource(Path directory, Map<String, byte[]> files, String version) {

    static RulesetSource read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new RulesetRejected(List.of(new RuleProblem(directory.toString(), 0, 0,
                    "the rules directory does not exist or is not a directory; set SCIMGATE_RULES_DIR")));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            List<Path> sources = paths.filter(Files::isRegularFile)
                    .filter(p -> isSource(directory.relativize(p)))
                    .sorted()
                    .toList();
            for (Path p : sources) {
                files.put(relativeName(directory, p), Files.readAllBytes(p));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new RulesetRejected(List.of(new RuleProblem(directory.toString(), 0, 0,
                    "the rules directory cannot be read: " + e.getMessage())));
        }
        return new RulesetSource(directory, Map.copyOf(files), hash(files));
    }

    Map<String, byte[]> drlFiles() {
        Map<String, byte[]> drl = new LinkedHashMap<>();
        files.keySet().stream().filter(n -> n.endsWith(".drl")).sorted().forEach(n -> drl.put(n, files.get(n)));
        return drl;
    }

    String referenceData() {
        byte[] data = files.get(ReferenceData.FILE_NAME);
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    static boolean isSource(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        String name = relative.toString().replace('\\', '/');
        return name.endsWith(".drl") || name.equals(ReferenceData.FILE_NAME);
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
