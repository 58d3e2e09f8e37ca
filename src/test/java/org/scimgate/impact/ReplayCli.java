package org.scimgate.impact;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scimgate.support.TestPostgres;

/** {@code rules replay} run in-process against a test database, as the command line runs it. */
final class ReplayCli {

    /** What the command exited with and printed. */
    record Run(int exit, String out, String err) {
    }

    private ReplayCli() {
    }

    static Run replay(TestPostgres.Database database, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("SPRING_DATASOURCE_URL", database.url(),
                "SPRING_DATASOURCE_USERNAME", database.username(), "SPRING_DATASOURCE_PASSWORD", database.password());
        int exit = new ReplayCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, Clock.systemUTC())
                .run(new ArrayList<>(List.of(args)));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
