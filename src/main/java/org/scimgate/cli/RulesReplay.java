package org.scimgate.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scimgate.impact.ReplayCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code scimgate rules replay}: what a candidate ruleset would have decided on past decisions. */
@Command(name = "replay", sortOptions = false,
        description = "What a candidate ruleset would have decided on past decisions: re-evaluates the judged "
                + "decisions (ACCEPTED, ACCEPTED_WITH_WARNINGS, REJECTED) received in the window with the rules in DIR "
                + "and reports what would change. The candidate is first checked as a reload checks the live rules "
                + "(compiles, stays within the allow-list, its examples pass).",
        footer = {"", "History from SPRING_DATASOURCE_URL/_USERNAME/_PASSWORD, else the embedded database of "
                + "SCIMGATE_DATA_DIR (./data), whether or not the service runs.",
                "Exit codes: 0 done, 1 the history could not be read, 2 the candidate was refused (or a usage error), "
                        + "3 something changed and --fail-on-change was given."})
final class RulesReplay implements Callable<Integer> {

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @ParentCommand
    RulesCli rules;

    @Option(names = "--rules", required = true, paramLabel = "DIR", description = "The candidate rules.")
    Path candidate;

    @Option(names = "--since", paramLabel = "DURATION",
            description = "The window: back from now, like 30d, 12h, 90m, 2w or an ISO-8601 duration (default 30d).")
    String since;

    @Option(names = "--from", paramLabel = "T", description = "The window's start: an instant (2026-11-01T00:00:00Z) or a date.")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "The window's end (needs --from).")
    String to;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or markdown (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--fail-on-change", description = "Exit 3 when any decision would change.")
    boolean failOnChange;

    @Mixin
    RulesOptions options;

    RulesReplay(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        ReplayCommand.Options replay;
        try {
            replay = ReplayCommand.Options.of(candidate, since, from, to, format, failOnChange, terminal.clock());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return new ReplayCommand(terminal.out(), terminal.err(), terminal.env()).run(replay, rules.compiler(spec, options));
    }
}
