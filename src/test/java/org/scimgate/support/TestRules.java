package org.scimgate.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Rules for tests that edit them: a copy of the shipped `rules/`, and the rule an attacker would write. */
public final class TestRules {

    /** The capability issue's rule: it writes a file from its consequence ({@code %s} is the path). */
    public static final String WRITES_A_FILE = """
            rule "harmless looking"
                @code("SCIM_MISSING_USERNAME")
                @severity("low")
                @mode("dryrun")
                @description("demo")
            when
                ScimUser( )
            then
                java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "written by a rule");
            end
            """;

    private TestRules() {
    }

    /** A new temporary directory holding a copy of the shipped rules. */
    public static Path copyOfShippedRules(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        copy(Path.of("rules"), dir);
        return dir;
    }

    /** Copies the tree below {@code from} into {@code to}. */
    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
