package org.scimgate.docs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scimgate.cli.Scimgate;
import org.scimgate.cli.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The commands and options the jar knows, read from the command line's own picocli model, so that a
 * command the docs show is checked against the code rather than against a list kept by hand.
 */
final class CliSurface {

    private final CommandLine root = Scimgate.commandLine(Terminal.system());

    /** The commands the jar runs; anything else (or nothing) runs the service. */
    Set<String> top() {
        return subcommands(List.of());
    }

    /** Whether a command path still needs a sub-command. */
    boolean takesSubcommand(List<String> path) {
        CommandLine command = at(path);
        return command != null && !command.getSubcommands().isEmpty();
    }

    /** The sub-commands of a command path, without picocli's {@code help}. */
    Set<String> subcommands(List<String> path) {
        CommandLine command = at(path);
        if (command == null) {
            return Set.of();
        }
        Set<String> names = new java.util.LinkedHashSet<>(command.getSubcommands().keySet());
        names.remove("help");
        return names;
    }

    /**
     * The options along a command path, each with whether it takes a value: a command accepts its
     * own and its parents' ({@code rules --allow E check}).
     */
    Map<String, Boolean> options(List<String> path) {
        Map<String, Boolean> options = new LinkedHashMap<>();
        for (int i = 0; i <= path.size(); i++) {
            CommandLine command = at(path.subList(0, i));
            if (command == null) {
                break;
            }
            for (OptionSpec option : command.getCommandSpec().options()) {
                for (String name : option.names()) {
                    if (name.startsWith("--")) {
                        options.putIfAbsent(name, option.arity().max() > 0);
                    }
                }
            }
        }
        options.remove("--help");
        return options;
    }

    private CommandLine at(List<String> path) {
        CommandLine command = root;
        for (String word : path) {
            command = command.getSubcommands().get(word);
            if (command == null) {
                return null;
            }
        }
        return command;
    }
}
