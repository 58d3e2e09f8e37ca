package org.scimgate.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.WholeServiceTest;

/**
 * The README's quick start, pasted in order into a fresh directory holding only what a clone
 * holds and the jar this build packaged: the commands, the service, the webhook call. The one
 * change is the port: the service takes a free one rather than 8080, and the call is sent there.
 */
@WholeServiceTest
class QuickStartIT {

    @Test
    void theReadmesQuickStartRunsInOrder(@TempDir Path fresh) throws Exception {
        List<Markdown.Block> blocks = quickStart();
        assertThat(blocks).as("the quick start's shell blocks: commands, service, webhook call").hasSize(3);
        Path jar = Path.of(System.getProperty("scimgate.jar", "target/scimgate.jar")).toAbsolutePath();
        copy(Path.of("rules"), fresh.resolve("rules"));
        Files.createDirectories(fresh.resolve("target"));
        Files.createSymbolicLink(fresh.resolve("target/scimgate.jar"), jar);

        // The build that runs this test has just packaged the jar: the ./mvnw line is done.
        List<String> commands = blocks.get(0).lines().stream().filter(l -> !l.startsWith("./mvnw")).toList();
        String output = bash(fresh, String.join("\n", commands));
        assertThat(output).contains("OK: ruleset", " 0 failed", "decision: REJECTED", "SCIM_INVALID_EMAIL_DOMAIN");

        List<List<String>> service = ShellCommands.parse(String.join("\n", blocks.get(1).lines()));
        assertThat(service).hasSize(1);
        List<String> words = new ArrayList<>(service.get(0));
        assertThat(words.get(0)).isEqualTo("java");
        words.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        int port = freePort();
        Path log = fresh.resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(words).directory(fresh.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PORT", String.valueOf(port));
        Process process = builder.start();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() ->
                    !process.isAlive() || Files.readString(log).contains("The console is at http://localhost:" + port));
            assertThat(process.isAlive()).as("the service runs; its log:\n%s", Files.readString(log)).isTrue();

            String call = String.join("\n", blocks.get(2).lines()).replace("localhost:8080", "localhost:" + port);
            assertThat(bash(fresh, call)).contains("\"status\":\"REJECTED\"", "\"code\":\"SCIM_INVALID_EMAIL_DOMAIN\"",
                    "\"code\":\"POLICY_DEPARTMENT_DENIED\"", "\"decisionId\"");
        } finally {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The shell blocks of the README's "Quick start" section, in order. */
    private static List<Markdown.Block> quickStart() {
        Markdown readme = Markdown.read(Path.of("README.md"));
        List<String> lines = readme.text().lines().toList();
        int from = lines.indexOf("### Quick start");
        assertThat(from).as("the README's quick start").isNotNegative();
        int to = from + 1;
        while (to < lines.size() && !lines.get(to).startsWith("## ")) {
            to++;
        }
        int end = to;
        return readme.blocks().stream().filter(b -> b.language().equals("sh") && b.line() > from && b.line() < end).toList();
    }

    private static String bash(Path directory, String script) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + script).directory(directory.toFile())
                .redirectErrorStream(true).start();
        byte[] output = bash.getInputStream().readAllBytes();
        assertThat(bash.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as("exit status of\n%s\noutput:\n%s", script, text).isZero();
        return text;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
