package org.scimgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scimgate audit}: the operators' and auditors' commands on the audit trail. */
@Command(name = "audit", description = "Check the audit trail; explain a past decision.",
        subcommands = {AuditCli.Verify.class, AuditCli.Explain.class})
final class AuditCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: verify or explain");
    }

    @Command(name = "verify",
            description = "Recompute the hash chain and print every finding, as GET /api/v1/audit/verify answers. "
                    + "Needs only the database, and runs from any directory.",
            footer = {"", "The database from SPRING_DATASOURCE_URL/_USERNAME/_PASSWORD, else the embedded database of "
                    + "SCIMGATE_DATA_DIR (./data), whether or not the service runs (while it runs, as its application "
                    + "role SCIMGATE_APP_ROLE, default scimgate_app).",
                    "Exit codes: 0 the chain is intact and complete, 1 it is broken or incomplete, 2 usage error."})
    static final class Verify implements Callable<Integer> {

        private final Terminal terminal;

        Verify(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            return AuditVerification.run(terminal.out(), terminal.err(), terminal.env());
        }
    }

    @Command(name = "explain",
            description = "Evaluate a decision's stored payload again under the kept ruleset that made it: the rules "
                    + "that fired with their text, and whether the verdict is the one recorded. Needs only the database.",
            footer = {"", "The database is found as 'audit verify' finds it.",
                    "Exit codes: 0 the verdict is the one recorded, 1 it differs or the decision cannot be explained, "
                            + "2 usage error."})
    static final class Explain implements Callable<Integer> {

        private final Terminal terminal;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "DECISION_ID", description = "The decision's id.")
        java.util.UUID decisionId;

        @picocli.CommandLine.Option(names = "--allow", paramLabel = "ENTRY",
                description = "Also allow this type, package or member in the rules, as the service's allowed-types.")
        java.util.List<String> allow = new java.util.ArrayList<>();

        Explain(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            return AuditExplain.run(terminal.out(), terminal.err(), terminal.env(), decisionId, allow);
        }
    }
}
