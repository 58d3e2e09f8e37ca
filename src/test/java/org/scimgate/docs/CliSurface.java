package org.scimgate.docs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scimgate.genesys.GenesysCommand;
import org.scimgate.impact.ReplayCommand;
import org.scimgate.impact.ScanCommand;
import org.scimgate.policy.RulesCommand;

/**
 * The commands and options the jar knows, read from the usage each command prints, so that a
 * command the docs show can be checked against the code rather than against a list kept by hand.
 *
 * <p>Only {@link #usage} knows how to get a command's usage. Today the commands are hand-written
 * classes dispatched by {@code ScimgateApplication.main}: {@code rules}, {@code audit} and
 * {@code genesys} at the top, each printing its usage when called without what it needs. With a
 * picocli command line, replace {@link #usage} by the usage picocli renders for the command path,
 * e.g. {@code new CommandLine(new Scimgate()).getSubcommands().get("rules").getUsageMessage()},
 * {@link #TOP} by the root's {@code getSubcommands().keySet()}, and {@link #takesSubcommand} by
 * whether the path's {@code CommandLine} has sub-commands.
 */
final class CliSurface {

    /** What {@code ScimgateApplication.main} dispatches on; anything else runs the service. */
    static final Set<String> TOP = Set.of("rules", "audit", "genesys");

    /** A sub-command line in a usage: two spaces, then the command word. */
    private static final Pattern SUBCOMMAND = Pattern.compile("(?m)^ {2}([a-z][a-z-]*)(?=\\s|$)");
    /** An option, and whether a value follows it where it first appears ({@code --rules DIR}, {@code --allow <entry>}). */
    private static final Pattern OPTION = Pattern.compile("(--[a-z][a-z-]*)([ =](?:[<A-Za-z0-9]))?");

    private final Map<List<String>, String> usages = new LinkedHashMap<>();

    /** The usage text of a command path, e.g. {@code [rules, replay]}. */
    String usage(List<String> path) {
        return usages.computeIfAbsent(List.copyOf(path), p -> switch (String.join(" ", p)) {
            case "rules", "rules check", "rules test", "rules eval" ->
                    printed(err -> new RulesCommand(null, err).run(List.of()));
            case "rules replay" -> printed(err -> new ReplayCommand(null, err, name -> null, Clock.systemUTC())
                    .run(List.of()));
            case "genesys", "genesys topics", "genesys create-trigger" ->
                    printed(err -> new GenesysCommand(null, err, name -> null).run(List.of()));
            case "genesys scan" -> printed(err -> new ScanCommand(null, err, name -> null).run(List.of("--format")));
            // ScimgateApplication.audit's usage, which it prints from a private method.
            case "audit", "audit verify" -> "Usage: java -jar scimgate.jar audit verify\n  verify\n";
            default -> "";
        });
    }

    /** Whether a command path still needs a sub-command: today the commands are two words deep. */
    boolean takesSubcommand(List<String> path) {
        return path.size() < 2;
    }

    /** The sub-commands a command lists in its usage. */
    Set<String> subcommands(List<String> path) {
        if (path.isEmpty()) {
            return TOP;
        }
        Set<String> found = new LinkedHashSet<>();
        Matcher m = SUBCOMMAND.matcher(usage(path));
        while (m.find()) {
            found.add(m.group(1));
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
        return options;
    }

    private static void collect(String text, Map<String, Boolean> into) {
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            into.putIfAbsent(m.group(1), m.group(2) != null); // the synopsis comes first
        }
    }

    private static String printed(Consumer<PrintStream> command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            command.accept(err);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
