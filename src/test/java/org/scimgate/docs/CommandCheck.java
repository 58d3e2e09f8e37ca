package org.scimgate.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The commands the README and the docs show, in shell blocks, as {@code $ } lines of output blocks,
 * and quoted in sentences: each file they name exists, each {@code java -jar target/scimgate.jar}
 * command and option is one the jar knows ({@link CliSurface}), each {@code -Dtest} class and
 * {@code -P} profile of {@code ./mvnw} exists, and each {@code bench/run.sh} mode is one it runs.
 */
final class CommandCheck {

    private static final Set<String> SHELL = Set.of("sh", "shell", "bash", "zsh");
    private static final Set<String> NOT_COMMANDS = Set.of("json", "yaml", "yml", "sql", "http", "drl", "csv", "java", "xml", "md");
    /** Made by the build or by the running service, not kept in the repository. */
    private static final Set<String> PRODUCED = Set.of("target", "data", ".git");
    private static final Pattern BENCH_MODE = Pattern.compile("(?m)^\\s+([a-z][a-z-]*)\\)");

    private final Path root;
    private final CliSurface cli;

    CommandCheck(Path root, CliSurface cli) {
        this.root = root;
        this.cli = cli;
    }

    /** Every problem of the pages' commands, as {@code file: problem in `command`}. */
    List<String> problems(List<Path> pages) {
        List<String> problems = new ArrayList<>();
        for (Path page : pages) {
            for (List<String> command : commands(Markdown.read(page))) {
                String problem = problem(command);
                if (problem != null) {
                    problems.add(root.toAbsolutePath().normalize().relativize(page.toAbsolutePath().normalize())
                            + ": " + problem + " in `" + String.join(" ", command) + "`");
                }
            }
        }
        return problems;
    }

    static List<List<String>> commands(Markdown page) {
        List<List<String>> commands = new ArrayList<>();
        for (Markdown.Block block : page.blocks()) {
            if (SHELL.contains(block.language())) {
                commands.addAll(ShellCommands.parse(String.join("\n", block.lines()).replaceAll("(?m)^\\$ ", "")));
            } else if (!NOT_COMMANDS.contains(block.language())) {
                block.lines().stream().filter(l -> l.startsWith("$ "))
                        .forEach(l -> commands.addAll(ShellCommands.parse(l.substring(2))));
            }
        }
        for (String span : page.codeSpans()) {
            if (span.contains("-jar target/scimgate.jar") || span.startsWith("./mvnw ") || span.startsWith("bench/run.sh")) {
                commands.addAll(ShellCommands.parse(span));
            }
        }
        return commands;
    }

    String problem(List<String> words) {
        String command = words.get(0);
        if (command.contains("/") && !command.startsWith("/") && !command.startsWith("$") && !exists(command)) {
            return command + " does not exist";
        }
        for (String word : words.subList(1, words.size())) {
            if (isRepositoryPath(word) && !exists(word)) {
                return word + " does not exist";
            }
        }
        return switch (command.replaceFirst("^\\./", "")) {
            case "java" -> java(words);
            case "mvnw" -> maven(words);
            case "bench/run.sh" -> words.size() > 1 && !benchModes().contains(words.get(1))
                    ? "bench/run.sh has no mode " + words.get(1) + " (it has " + benchModes() + ")" : null;
            default -> null;
        };
    }

    private String java(List<String> words) {
        int jar = words.indexOf("-jar");
        if (jar < 0 || jar + 1 >= words.size() || !words.get(jar + 1).endsWith("scimgate.jar")) {
            return null;
        }
        List<String> args = words.subList(jar + 2, words.size());
        List<String> path = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--") && !path.isEmpty()) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                var options = cli.options(path);
                if (!options.containsKey(name)) {
                    return "`" + String.join(" ", path) + "` has no option " + name + " (it has " + options.keySet() + ")";
                }
                if (options.get(name) && !arg.contains("=")) {
                    i++;
                }
            } else if (arg.startsWith("-")) {
                continue; // the service's own arguments, e.g. --server.port=0 before any command
            } else if (cli.takesSubcommand(path)) {
                if (path.isEmpty() && !cli.top().contains(arg)) {
                    return "the jar has no command " + arg + " (it has " + cli.top() + ")";
                }
                Set<String> subcommands = cli.subcommands(path);
                if (!subcommands.contains(arg)) {
                    return "`" + String.join(" ", path) + "` has no command " + arg + " (it has " + subcommands + ")";
                }
                path.add(arg);
            }
        }
        return null;
    }

    private String maven(List<String> words) {
        for (String word : words) {
            if (word.startsWith("-Dtest=") || word.startsWith("-Dit.test=")) {
                for (String name : word.substring(word.indexOf('=') + 1).split(",")) {
                    String type = name.replaceFirst("#.*", "");
                    // "none" selects no class: Maven's way to skip a phase's tests
                    if (!type.contains("*") && !"none".equals(type) && !testClasses().contains(type)) {
                        return "there is no test class " + type;
                    }
                }
            } else if (word.startsWith("-P") && word.length() > 2) {
                for (String profile : word.substring(2).split(",")) {
                    if (!profiles().contains(profile.replaceFirst("^!", ""))) {
                        return "pom.xml has no profile " + profile;
                    }
                }
            }
        }
        return null;
    }

    /** A word that names something in the repository: its first segment is a file or folder kept there. */
    private boolean isRepositoryPath(String word) {
        if (!word.contains("/") || word.contains("$") || word.contains("://") || word.contains("<") || word.contains("…")) {
            return false;
        }
        String first = word.replaceFirst("^\\./", "").split("/")[0];
        return !first.isEmpty() && !PRODUCED.contains(first) && Files.exists(root.resolve(first));
    }

    private boolean exists(String path) {
        return Files.exists(root.resolve(path.replaceFirst("^\\./", "")));
    }

    private Set<String> benchModes() {
        String script = read(root.resolve("bench/run.sh"));
        int from = script.lastIndexOf("case \"$WHAT\" in");
        Set<String> modes = new LinkedHashSet<>();
        Matcher m = BENCH_MODE.matcher(from < 0 ? "" : script.substring(from));
        while (m.find()) {
            modes.add(m.group(1));
        }
        return modes;
    }

    private Set<String> profiles() {
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = Pattern.compile("<profile>\\s*<id>([^<]+)</id>").matcher(read(root.resolve("pom.xml")));
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private Set<String> testClasses() {
        Path tests = root.resolve("src/test/java");
        if (!Files.isDirectory(tests)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(tests)) {
            Set<String> names = new LinkedHashSet<>();
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .forEach(n -> names.add(n.substring(0, n.length() - ".java".length())));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
