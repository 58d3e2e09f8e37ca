package org.scimgate.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands and options the jar knows, read from the usage it prints, so that a command the
 * docs show is checked against the code rather than against a list kept by hand. The usage is
 * asked of {@code ScimgateApplication.main} in a JVM of its own, as a user would ask the jar.
 *
 * <p>Two things depend on how the command line is built. Today {@code main} dispatches on
 * {@link #TOP} by hand and each command prints its usage when called without what it needs
 * ({@link #helpArguments}); a command path is two words deep ({@link #takesSubcommand}). With a
 * picocli command line, {@link #helpArguments} becomes {@code path + "--help"} for every path,
 * {@link #TOP} the root's sub-commands, and {@link #takesSubcommand} whether the path's
 * {@code CommandLine} has sub-commands.
 */
final class CliSurface {

    /** What {@code ScimgateApplication.main} dispatches on; anything else runs the service. */
    static final Set<String> TOP = Set.of("rules", "audit", "genesys");

    /** A sub-command line in a usage: two spaces, then the command word. */
    private static final Pattern SUBCOMMAND = Pattern.compile("(?m)^ {2}([a-z][a-z-]*)(?=\\s|$)");
    /** An option, and whether a value follows it where it first appears ({@code --rules DIR}, {@code --allow <entry>}). */
    private static final Pattern OPTION = Pattern.compile("(--[a-z][a-z-]*)([ =](?:[<A-Za-z0-9]))?");

    private final Map<List<String>, String> usages = new LinkedHashMap<>();

    /** The arguments that make the jar print a command path's usage. */
    static List<String> helpArguments(List<String> path) {
        return switch (String.join(" ", path)) {
            case "rules replay", "genesys scan", "audit", "audit verify" -> plus(path, "--help");
            // A command that needs credentials before it reads its arguments: its parent lists its options.
            default -> List.copyOf(path.subList(0, Math.min(1, path.size())));
        };
    }

    /** Whether a command path still needs a sub-command: today the commands are two words deep. */
    boolean takesSubcommand(List<String> path) {
        return path.size() < 2;
    }

    /** The sub-commands a command lists in its usage, one a line or in its synopsis. */
    Set<String> subcommands(List<String> path) {
        if (path.isEmpty()) {
            return TOP;
        }
        Set<String> found = new LinkedHashSet<>();
        String usage = usage(path);
        Matcher m = SUBCOMMAND.matcher(usage);
        while (m.find()) {
            found.add(m.group(1));
        }
        // A command with one sub-command may name it in its synopsis: "scimgate.jar audit verify".
        Matcher synopsis = Pattern.compile("scimgate\\.jar " + Pattern.quote(String.join(" ", path)) + " ([a-z][a-z-]*)")
                .matcher(usage);
        while (synopsis.find()) {
            found.add(synopsis.group(1));
        }
        return found;
    }

    /**
     * The options the usages along a command path name, each with whether it takes a value: a
     * command accepts its own and its parents' ({@code rules --allow E check}).
     */
    Map<String, Boolean> options(List<String> path) {
        Map<String, Boolean> options = new LinkedHashMap<>();
        for (int i = 1; i <= path.size(); i++) {
            collect(usage(path.subList(0, i)), options);
        }
        options.remove("--help");
        return options;
    }

    /** The usage the jar prints for a command path, e.g. {@code [rules, replay]}. */
    synchronized String usage(List<String> path) {
        return usages.computeIfAbsent(List.copyOf(helpArguments(path)), CliSurface::printed);
    }

    private static void collect(String text, Map<String, Boolean> into) {
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            into.putIfAbsent(m.group(1), m.group(2) != null); // the synopsis comes first
        }
    }

    /** What {@code java -cp <this classpath> org.scimgate.ScimgateApplication <arguments>} prints. */
    private static String printed(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.scimgate.ScimgateApplication"));
        command.addAll(arguments);
        try {
            Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
            java.getOutputStream().close();
            byte[] output = java.getInputStream().readAllBytes();
            if (!java.waitFor(2, TimeUnit.MINUTES)) {
                java.destroyForcibly();
                throw new IllegalStateException("scimgate " + arguments + " did not end");
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> plus(List<String> path, String argument) {
        List<String> arguments = new ArrayList<>(path);
        arguments.add(argument);
        return arguments;
    }
}
