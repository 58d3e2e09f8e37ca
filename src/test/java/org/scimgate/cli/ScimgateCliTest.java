package org.scimgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scimgate.support.CliRun;
import picocli.CommandLine;

/** The command line itself: usage for every command, errors with a hint, and when the service runs instead. */
class ScimgateCliTest {

    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void everyCommandAndGroupPrintsItsUsageAndExitsZero() {
        List<List<String>> paths = commandPaths();
        assertThat(paths).contains(List.of(), List.of("rules"), List.of("audit"), List.of("genesys"),
                List.of("rules", "check"), List.of("rules", "test"), List.of("rules", "eval"), List.of("rules", "replay"),
                List.of("audit", "verify"), List.of("genesys", "topics"), List.of("genesys", "create-trigger"),
                List.of("genesys", "scan"));
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                CliRun run = CliRun.of(NO_ENV, args.toArray(String[]::new));
                String name = String.join(" ", path);
                assertThat(run.exit()).as("scimgate %s %s: %s", name, flag, run.err()).isZero();
                assertThat(run.out()).as("scimgate %s %s", name, flag)
                        .startsWith("Usage: scimgate" + (path.isEmpty() ? "" : " " + name) + " ");
                assertThat(run.err()).as("scimgate %s %s", name, flag).isEmpty();
                assertThat(run.out()).as("scimgate %s %s", name, flag).contains("Exit codes:");
            }
        }
    }

    @Test
    void theTopLevelUsageNamesEveryGroupAndHowTheServiceRuns() {
        CliRun run = CliRun.of(NO_ENV, "--help");
        assertThat(run.out()).contains("rules ", "audit ", "genesys ", "help ")
                .contains("With no command it runs the service").contains("Exit codes:");
        assertThat(CliRun.of(NO_ENV, "help", "rules").out()).startsWith("Usage: scimgate rules ");
        assertThat(CliRun.of(NO_ENV, "--version").exit()).isZero();
        assertThat(CliRun.of(NO_ENV, "rules", "eval", "--help").out())
                .contains("3 REJECTED and").doesNotContain("COMMAND --help");
    }

    @Test
    void anUnknownCommandIsAUsageErrorThatSuggestsTheNearestOne() {
        CliRun top = CliRun.of(NO_ENV, "rulez", "check");
        assertThat(top.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(top.err()).contains("'rulez'").contains("Did you mean: scimgate rules?");
        assertThat(top.out()).isEmpty();

        CliRun nested = CliRun.of(NO_ENV, "rules", "chek");
        assertThat(nested.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(nested.err()).contains("'chek'").contains("Did you mean: rules check?")
                .contains("Run 'scimgate rules --help' for its usage.");
    }

    @Test
    void anUnknownOptionIsAUsageErrorThatSuggestsTheNearestOne() {
        CliRun top = CliRun.of(NO_ENV, "--hlep");
        assertThat(top.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(top.err()).contains("Unknown option: '--hlep'").contains("--help");

        CliRun nested = CliRun.of(NO_ENV, "rules", "replay", "--rules", "rules", "--fail-on-chnage");
        assertThat(nested.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(nested.err()).contains("Unknown option: '--fail-on-chnage'").contains("--fail-on-change");
    }

    @Test
    void aGroupWithoutACommandIsAUsageErrorThatListsItsCommands() {
        for (String group : List.of("rules", "audit", "genesys")) {
            CliRun run = CliRun.of(NO_ENV, group);
            assertThat(run.exit()).as(group).isEqualTo(Scimgate.USAGE);
            assertThat(run.err()).as(group).contains("Missing a command").contains("Usage: scimgate " + group);
        }
    }

    @Test
    void typedOptionsRefuseMalformedAndMissingValues() {
        CliRun ttl = CliRun.of(NO_ENV, "genesys", "create-trigger", "--workflow-id", "wf", "--topic", "t", "--ttl", "soon");
        assertThat(ttl.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(ttl.err()).contains("Invalid value for option '--ttl': 'soon' is not an int");

        CliRun format = CliRun.of(NO_ENV, "genesys", "scan", "--format", "yaml");
        assertThat(format.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(format.err()).contains("Invalid value for option '--format'").contains("text, json");

        CliRun since = CliRun.of(NO_ENV, "rules", "replay", "--rules", "rules", "--since", "a while");
        assertThat(since.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(since.err()).contains("since must be like 30d");

        CliRun missing = CliRun.of(NO_ENV, "rules", "replay");
        assertThat(missing.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(missing.err()).contains("Missing required option: '--rules=DIR'");

        CliRun payload = CliRun.of(NO_ENV, "rules", "eval");
        assertThat(payload.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(payload.err()).contains("Missing required parameter: 'PAYLOAD'");
    }

    @Test
    void theServiceRunsWithNoArgumentsOrOnlySpringBootArguments() {
        assertThat(Scimgate.runsTheService()).isTrue();
        assertThat(Scimgate.runsTheService("--server.port=8080")).isTrue();
        assertThat(Scimgate.runsTheService("--server.port=0", "--spring.profiles.active=demo", "--debug")).isTrue();

        assertThat(Scimgate.runsTheService("--help")).isFalse();
        assertThat(Scimgate.runsTheService("-h")).isFalse();
        assertThat(Scimgate.runsTheService("--version")).isFalse();
        assertThat(Scimgate.runsTheService("--hlep")).as("a typo is an error, not a service start").isFalse();
        assertThat(Scimgate.runsTheService("rules")).isFalse();
        assertThat(Scimgate.runsTheService("--server.port=8080", "rules", "check")).isFalse();
        assertThat(Scimgate.runsTheService("--=x")).isFalse();
    }

    /** Every command of the tree as the words that name it; the root is the empty list. */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        Terminal quiet = new Terminal(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), new ByteArrayInputStream(new byte[0]), NO_ENV::get,
                Clock.systemUTC());
        collect(Scimgate.commandLine(quiet), List.of(), paths);
        return paths;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> longer = new ArrayList<>(path);
                longer.add(name);
                collect(sub, longer, paths);
            }
        });
    }
}
