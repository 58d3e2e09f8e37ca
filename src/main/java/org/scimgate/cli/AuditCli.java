package org.scimgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scimgate audit}: the operators' and auditors' commands on the audit trail. */
@Command(name = "audit", description = "Check the audit trail.",
        subcommands = AuditCli.Verify.class)
final class AuditCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: verify");
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
}
