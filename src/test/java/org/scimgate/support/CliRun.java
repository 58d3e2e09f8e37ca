package org.scimgate.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.scimgate.cli.Scimgate;
import org.scimgate.cli.Terminal;

/**
 * One run of the {@code scimgate} command line in-process, as {@code java -jar scimgate.jar ARGS}
 * runs it, with the given environment and standard input: what it exited with and printed.
 */
public record CliRun(int exit, String out, String err) {

    public static CliRun of(Map<String, String> env, String... args) {
        return withInput(env, "", args);
    }

    public static CliRun withInput(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Scimgate.execute(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env::get, Clock.systemUTC()), args);
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
