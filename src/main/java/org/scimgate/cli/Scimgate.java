package org.scimgate.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code scimgate}: the command line. With no command it runs the service; with one it runs that
 * command and exits: {@code rules check|test|eval|replay}, {@code audit verify},
 * {@code genesys topics|create-trigger|scan}, and {@code help}. Every command and group prints its
 * usage with {@code --help}; an unknown command or option is an error with a suggestion (exit 2).
 */
@Command(name = "scimgate", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = Scimgate.Version.class,
        description = {"A compliance gate for SCIM user provisioning into Genesys Cloud.",
                "With no command it runs the service, and passes it any Spring Boot arguments "
                        + "(--name=value, --debug, --trace), e.g. scimgate --server.port=8080"},
        subcommands = {RulesCli.class, AuditCli.class, GenesysCli.class, HelpCommand.class},
        footer = {"", "Run 'scimgate COMMAND --help' for a command's options and exit codes.",
                "Exit codes: 0 done, 1 failed, 2 usage error (an unknown command or option, a missing or malformed value)."})
public final class Scimgate implements Callable<Integer> {

    /** An unknown command or option, or a missing or malformed value: picocli's own code for invalid input. */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    Scimgate() {
    }

    /**
     * Whether these arguments start the service rather than a command: none at all, or only Spring
     * Boot's own ({@code --name=value}, {@code --debug}, {@code --trace}). Anything else, a word or
     * another option such as {@code --help}, is the command line's.
     */
    public static boolean runsTheService(String... args) {
        return Arrays.stream(args).allMatch(a -> a.startsWith("--") && a.indexOf('=') > 2
                || a.equals("--debug") || a.equals("--trace"));
    }

    /** Runs the command line and answers its exit code; never exits the JVM. */
    public static int execute(Terminal terminal, String... args) {
        CommandLine commandLine = commandLine(terminal);
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }

    /**
     * The command tree, each command created with {@code terminal}; public so that the docs' check
     * reads the commands and options the docs may name from the tree itself.
     */
    public static CommandLine commandLine(Terminal terminal) {
        return new CommandLine(new Scimgate(), new Commands(terminal))
                .setOut(writer(terminal.out()))
                .setErr(writer(terminal.err()))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Scimgate::usageError);
    }

    /** What was wrong, the nearest commands or options when there are any (else the usage), and where help is. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(e.getMessage());
        if (UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for its usage.");
        } else {
            command.usage(err);
        }
        return USAGE;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command");
    }

    /** Creates each command with the terminal it runs in. */
    private record Commands(Terminal terminal) implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(Terminal.class).newInstance(terminal);
            } catch (NoSuchMethodException noTerminal) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    /** The version of the packaged jar, from its manifest. */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = Scimgate.class.getPackage().getImplementationVersion();
            return new String[] {"scimgate " + (version == null ? "(version unknown: not run from the packaged jar)" : version)};
        }
    }
}
