package org.scimgate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.scimgate.genesys.GenesysCommand;
import org.scimgate.impact.ScanCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scimgate genesys}: connect Genesys Cloud to the webhook, and judge the users already there. */
@Command(name = "genesys",
        description = "Connect Genesys Cloud to the webhook; judge the users already in the org.",
        subcommands = {GenesysCli.Topics.class, GenesysCli.CreateTrigger.class, GenesysCli.Scan.class},
        footer = {"", "Credentials and region from GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, GENESYS_REGION "
                + "(GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL override the hosts).",
                GenesysCli.EXIT_CODES})
final class GenesysCli implements Callable<Integer> {

    static final String EXIT_CODES = "Exit codes: 0 done, 1 Genesys refused or could not be reached, "
            + "2 usage error or Genesys not configured.";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: topics, create-trigger or scan");
    }

    @Command(name = "topics", description = "List the topics a trigger can listen to.", footer = {"", EXIT_CODES})
    static final class Topics implements Callable<Integer> {

        private final Terminal terminal;

        Topics(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            return new GenesysCommand(terminal.out(), terminal.err(), terminal.env()).topics();
        }
    }

    @Command(name = "create-trigger", sortOptions = false,
            description = "Create a Process Automation trigger that starts the workflow.",
            footer = {"", "The OAuth client needs the processautomation:trigger:add and :view permissions.", EXIT_CODES})
    static final class CreateTrigger implements Callable<Integer> {

        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Option(names = "--workflow-id", required = true, paramLabel = "<id>", description = "The Architect workflow to start.")
        String workflowId;

        @Option(names = "--topic", required = true, paramLabel = "<topic>", description = "The topic to listen to, e.g. v2.users.{id}.")
        String topic;

        @Option(names = "--name", paramLabel = "<name>", defaultValue = "scimgate provisioning policy",
                description = "The trigger's name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--match", paramLabel = "<jsonPath>=<value>",
                description = "Start the workflow only for events whose jsonPath equals value. Repeatable.")
        List<String> match = new ArrayList<>();

        @Option(names = "--ttl", paramLabel = "<seconds>", defaultValue = "300",
                description = "How long an event may wait for the workflow (default ${DEFAULT-VALUE}).")
        int ttlSeconds;

        CreateTrigger(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            List<GenesysCommand.Match> criteria = new ArrayList<>();
            try {
                match.forEach(m -> criteria.add(GenesysCommand.Match.parse(m)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return new GenesysCommand(terminal.out(), terminal.err(), terminal.env())
                    .createTrigger(new GenesysCommand.Trigger(workflowId, topic, name, ttlSeconds, criteria));
        }
    }

    /** The scan's output formats. */
    enum ScanFormat { text, json }

    @Command(name = "scan", sortOptions = false,
            description = "Judge every user already in the org by the rules: accounts made outside the gate, or "
                    + "before a policy was tightened. Needs Genesys credentials, no database.",
            footer = {"", "Exit codes: 0 done, 1 Genesys could not be read, 2 the rules were refused (or a usage error)."})
    static final class Scan implements Callable<Integer> {

        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Option(names = "--rules", paramLabel = "DIR", description = "The rules (default $SCIMGATE_RULES_DIR, else ./rules).")
        Path rules;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
        ScanFormat format;

        @Mixin
        RulesOptions options;

        Scan(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            return new ScanCommand(terminal.out(), terminal.err(), terminal.env()).run(
                    RulesOptions.rulesDir(rules, terminal.env()), format == ScanFormat.json,
                    options.compiler(spec, List.of()));
        }
    }
}
