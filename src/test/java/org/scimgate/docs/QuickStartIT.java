package org.scimgate.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scimgate.support.WholeServiceTest;

/**
 * The packaged fat jar, started once, as the README's quick start says: in a fresh directory
 * holding only what a clone holds and the jar this build packaged, its commands pasted as they
 * stand, the service ({@code java -jar target/scimgate.jar}), and the webhook call. The one change
 * is the port: the service takes a free one ({@code PORT=0}) and prints its console URL, and the
 * call is sent there. Drools inside a Spring Boot fat jar has broken before in ways that tests on
 * target/classes never see, so the tests of the running jar (the webhook, the console key, the
 * command line beside it) share this one start.
 */
@WholeServiceTest
class QuickStartIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path JAR = Path.of(System.getProperty("scimgate.jar", "target/scimgate.jar")).toAbsolutePath();
    private static List<Markdown.Block> quickStart;
    private static Path fresh;
    private static Process process;
    private static Path log;
    private static URI base;

    @BeforeAll
    static void followTheQuickStart() throws Exception {
        quickStart = quickStart();
        assertThat(quickStart).as("the quick start's shell blocks: commands, service, webhook call").hasSize(3);
        assertThat(JAR).exists();
        fresh = Files.createTempDirectory("scimgate-quick-start");
        copy(Path.of("rules"), fresh.resolve("rules"));
        Files.createDirectories(fresh.resolve("target"));
        Files.createSymbolicLink(fresh.resolve("target/scimgate.jar"), JAR);

        List<List<String>> service = ShellCommands.parse(String.join("\n", quickStart.get(1).lines()));
        assertThat(service).hasSize(1);
        List<String> words = new ArrayList<>(service.get(0));
        assertThat(words.get(0)).isEqualTo("java");
        words.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        log = fresh.resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(words).directory(fresh.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Any free port: the newcomer's way in is the URL the log prints, so the test takes it from there.
        builder.environment().put("PORT", "0");
        process = builder.start();
        base = URI.create(awaitConsoleUrl());
        awaitHealthy();
    }

    @AfterAll
    static void stopTheService() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theQuickStartsCommandsCheckTestAndEvaluateTheShippedRules() throws Exception {
        // The build that runs this test has just packaged the jar: the ./mvnw line is done. The commands
        // need no service, so they run beside it, and a failure here leaves the jar's other tests standing.
        List<String> commands = quickStart.get(0).lines().stream().filter(l -> !l.startsWith("./mvnw")).toList();
        String commandsOutput = bash(fresh, String.join("\n", commands));
        assertThat(commandsOutput).contains("OK: ruleset", " 0 failed", "decision: REJECTED", "SCIM_INVALID_EMAIL_DOMAIN")
                .doesNotContain("FAIL");
    }

    @Test
    void theQuickStartsWebhookCallIsRefusedWithAReasonPerViolation() throws Exception {
        String call = String.join("\n", quickStart.get(2).lines()).replace("localhost:8080", "localhost:" + base.getPort());
        assertThat(bash(fresh, call)).contains("\"status\":\"REJECTED\"", "\"code\":\"SCIM_INVALID_EMAIL_DOMAIN\"",
                "\"code\":\"POLICY_DEPARTMENT_DENIED\"", "\"decisionId\"");
    }

    @Test
    void servesTheWebhookFromThePackagedJar() throws Exception {
        HttpResponse<String> accepted = post("""
                {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
                 "data":{"userName":"jane@acme.com","emails":[{"value":"jane@acme.com","primary":true}]}}""");
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).contains("\"status\":\"ACCEPTED\"").contains("\"decisionId\"");

        HttpResponse<String> rejected = post("""
                {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
                 "data":{"userName":"eve@evil.com","emails":[{"value":"eve@evil.com","primary":true}]}}""");
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body()).contains("\"errorCode\":\"PROVISIONING_POLICY_VIOLATION\"")
                .contains("SCIM_INVALID_EMAIL_DOMAIN");
    }

    @Test
    void verifiesTheAuditChainOfTheRunningServiceFromTheCommandLine() throws Exception {
        post("""
                {"eventType":"user.created","data":{"userName":"chain@acme.com","emails":[{"value":"chain@acme.com","primary":true}]}}""");
        Matcher psql = Pattern.compile(
                        "PGPASSWORD=\"\\$\\(cat ([^)]+)\\)\" psql \"postgresql://scimgate_app@localhost:(\\d+)/scimgate\"")
                .matcher(Files.readString(log));
        assertThat(psql.find()).as("the log shows the psql command").isTrue();
        String appPassword = Files.readString(fresh.resolve(psql.group(1))).trim();
        assertThat(Files.readString(log)).as("the log never shows the password").doesNotContain(appPassword);
        String[] output = {""};
        // the sealer links rows about a second after they commit
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            ProcessBuilder verify = java("audit", "verify");
            verify.environment().put("SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:" + psql.group(2) + "/scimgate");
            verify.environment().put("SPRING_DATASOURCE_USERNAME", "scimgate_app");
            verify.environment().put("SPRING_DATASOURCE_PASSWORD", appPassword);
            verify.environment().put("SCIMGATE_WEBHOOK_TOKEN", "unused");
            verify.environment().put("SCIMGATE_OPERATOR_KEY", "unused");
            Process run = verify.start();
            output[0] = new String(run.getInputStream().readAllBytes());
            assertThat(run.waitFor()).as(output[0]).isZero();
            return !output[0].contains("not sealed yet") && !output[0].contains("0 decisions verified");
        });
        assertThat(output[0]).contains("Audit chain intact:").doesNotContain(" 0 decisions verified");
    }

    @Test
    void verifiesTheAuditChainBesideTheRunningServiceFromItsDataDirectoryAlone() throws Exception {
        post("""
                {"eventType":"user.created","data":{"userName":"beside@acme.com","emails":[{"value":"beside@acme.com","primary":true}]}}""");
        Path dataDir = fresh.resolve("data");
        ProcessBuilder verify = java("audit", "verify");
        verify.environment().remove("SPRING_DATASOURCE_URL");
        verify.environment().put("SCIMGATE_DATA_DIR", dataDir.toString());
        Process run = verify.start();
        String output = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor()).as(output).isZero();
        assertThat(output).doesNotContain("in use by another scimgate instance")
                .contains("Reading the database of the service running on " + dataDir.toAbsolutePath().normalize())
                .contains("Audit chain intact:");
    }

    @Test
    void theRulesCommandNamesTheFileAndLineOfABrokenRule() throws Exception {
        // `rules check` and `rules test` of the shipped rules ran above, in the quick start's commands.
        Path broken = Files.createTempDirectory("scimgate-broken-rules");
        Files.writeString(broken.resolve("broken.drl"), "package broken;\nrule \"x\" when\n  Foo( a == )\nthen end\n");
        Process failing = java("rules", "check", broken.toString()).start();
        String errors = new String(failing.getInputStream().readAllBytes());
        assertThat(failing.waitFor()).isEqualTo(1);
        assertThat(errors).contains("broken.drl:3:");
    }

    @Test
    void printsTheConsoleUrlAndTheGeneratedOperatorKeyThatSignsInThere() throws Exception {
        String key = Files.readString(log).replaceAll("(?s).*No SCIMGATE_OPERATOR_KEY was set.*?\\n\\s*(\\S+)\\s*\\n.*", "$1");
        assertThat(key).as("the key printed is the one kept for the README's sign-in")
                .isEqualTo(Files.readString(fresh.resolve("data/credentials/operator-key")).trim());
        HttpResponse<String> signIn = HTTP.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.body()).contains("id=\"key\"");
        HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/ruleset"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as("the printed key (%s) is the operator key", key).isEqualTo(200);
    }

    /** A webhook call with the token the service generated on its first start, where the README reads it. */
    private static HttpResponse<String> post(String body) throws Exception {
        String token = Files.readString(fresh.resolve("data/credentials/webhook-token")).trim();
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/webhook/scim-validation"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code java -jar target/scimgate.jar <args>} in the quick start's directory. */
    private static ProcessBuilder java(String... args) {
        List<String> words = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/scimgate.jar"));
        words.addAll(List.of(args));
        return new ProcessBuilder(words).directory(fresh.toFile()).redirectErrorStream(true);
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

    /** The console URL the service logs once it listens, e.g. {@code http://localhost:41873/}. */
    private static String awaitConsoleUrl() throws Exception {
        Pattern line = Pattern.compile("The console is at (http://localhost:(\\d+)/): sign in with the operator key");
        String[] url = {null};
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(process.isAlive()).as("the service runs; its log:\n%s", Files.readString(log)).isTrue();
            Matcher found = line.matcher(Files.readString(log));
            if (found.find()) {
                assertThat(Integer.parseInt(found.group(2))).isPositive();
                url[0] = found.group(1);
            }
            return url[0] != null;
        });
        return url[0];
    }

    private static void awaitHealthy() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(process.isAlive()).as("the service runs; its log:\n%s", Files.readString(log)).isTrue();
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 200 && health.body().contains("\"UP\"");
            } catch (IOException notYet) {
                return false; // not listening yet
            }
        });
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
}
