package org.scimgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.scimgate.support.WholeServiceTest;

/**
 * The packaged jar's command line, as a newcomer first tries it: {@code java -jar scimgate.jar --help}
 * prints the usage and exits instead of starting the service, and a typo is an error with a hint.
 */
@WholeServiceTest
class CommandLineJarIT {

    private record Run(int exit, String out, String err) {
    }

    private static Run jar(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("scimgate.jar", "target/scimgate.jar"));
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // A service that started instead would never exit: the bound is a guard against that hang, not a speed target.
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("scimgate %s exits rather than serving; it printed:%n%s%s", String.join(" ", args), out, err)
                .isTrue();
        return new Run(process.exitValue(), out, err);
    }

    @Test
    void printsTheUsageOfEachGroupAndExitsWithoutStartingTheService() throws Exception {
        for (List<String> args : List.of(List.of("--help"), List.of("rules", "--help"), List.of("audit", "--help"),
                List.of("genesys", "--help"), List.of("rules", "replay", "--help"))) {
            Run run = jar(args.toArray(String[]::new));
            String command = String.join(" ", args.subList(0, args.size() - 1));
            assertThat(run.exit()).as("%s: %s", args, run.err()).isZero();
            assertThat(run.out()).startsWith("Usage: scimgate " + (command.isEmpty() ? "" : command + " "))
                    .doesNotContain("Started ScimgateApplication").doesNotContain("Tomcat");
        }
    }

    @Test
    void anUnknownCommandIsAnErrorWithAHint() throws Exception {
        Run run = jar("rules", "chek");
        assertThat(run.exit()).isEqualTo(Scimgate.USAGE);
        assertThat(run.err()).contains("Did you mean: rules check?");
    }

    @Test
    void printsTheVersionOfThePackagedJar() throws Exception {
        Run run = jar("--version");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("scimgate ").doesNotContain("version unknown");
    }
}
