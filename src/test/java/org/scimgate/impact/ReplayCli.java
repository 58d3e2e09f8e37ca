package org.scimgate.impact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scimgate.support.CliRun;
import org.scimgate.support.TestPostgres;

/** {@code scimgate rules replay ARGS} run in-process against a test database, as the command line runs it. */
final class ReplayCli {

    /** What the command exited with and printed. */
    record Run(int exit, String out, String err) {
    }

    private ReplayCli() {
    }

    static Run replay(TestPostgres.Database database, String... args) {
        Map<String, String> env = Map.of("SPRING_DATASOURCE_URL", database.url(),
                "SPRING_DATASOURCE_USERNAME", database.username(), "SPRING_DATASOURCE_PASSWORD", database.password());
        List<String> command = new ArrayList<>(List.of("rules", "replay"));
        command.addAll(List.of(args));
        CliRun run = CliRun.of(env, command.toArray(String[]::new));
        return new Run(run.exit(), run.out(), run.err());
    }
}
