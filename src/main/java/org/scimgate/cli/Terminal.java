package org.scimgate.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Function;

/**
 * What a command reads and writes besides its arguments: the standard streams, the environment and
 * the clock. Tests run the command line in-process with their own.
 */
public record Terminal(PrintStream out, PrintStream err, InputStream in, Function<String, String> env, Clock clock) {

    /** The process's own streams, environment and clock. */
    public static Terminal system() {
        return new Terminal(System.out, System.err, System.in, System::getenv, Clock.systemUTC());
    }
}
