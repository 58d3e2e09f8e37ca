package org.scimgate.impact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds rules that read an attribute the audit never stores (the candidate's
 * {@code sensitive-attributes}, which the live path removed from every stored payload): replayed,
 * such a rule sees the attribute missing, so its verdict on history is not the one it would give live.
 */
final class SensitiveReads {

    private SensitiveReads() {
    }

    /** Null when no rule file of {@code rulesDir} names a sensitive attribute. */
    static ImpactReport.NotFaithful find(Path rulesDir, Set<String> sensitiveAttributes) {
        Set<String> attributes = new TreeSet<>();
        Set<String> files = new TreeSet<>();
        try (Stream<Path> paths = Files.walk(rulesDir)) {
            for (Path file : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> p.getFileName().toString().endsWith(".drl")
                            || p.getFileName().toString().endsWith(".drl.csv"))
                    .toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                for (String attribute : sensitiveAttributes) {
                    if (Pattern.compile("\\b" + Pattern.quote(attribute) + "\\b", Pattern.CASE_INSENSITIVE)
                            .matcher(text).find()) {
                        attributes.add(attribute);
                        files.add(rulesDir.relativize(file).toString().replace('\\', '/'));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (attributes.isEmpty()) {
            return null;
        }
        return new ImpactReport.NotFaithful(List.copyOf(attributes), List.copyOf(files),
                "these rules read attributes listed under sensitive-attributes, which are removed before a payload "
                        + "is stored: replayed decisions are judged without them, so they cannot be replayed faithfully");
    }
}
