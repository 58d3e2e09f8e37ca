package org.scimgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scimgate.support.WholeServiceTest;

/**
 * Boots the packaged jar through the launcher, {@code bin/scimgate}, as an operator would: Drools
 * inside a Spring Boot jar has broken before in ways that tests on target/classes never see, and
 * the launcher must hand the process over to the JVM (exec), so that SIGTERM stops it gracefully.
 */
@WholeServiceTest
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class PackagedJarIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Process process;
    private static Path log;
    private static URI base;
    private static Path dataDir;
    private static Path jvmCache;

    @BeforeAll
    static void startJar() throws Exception {
        Path jar = Path.of(System.getProperty("scimgate.jar", "target/scimgate.jar"));
        assertThat(jar).exists();
        log = Files.createTempFile("scimgate-jar", ".log");
        dataDir = Files.createTempDirectory("scimgate-jar-data");
        jvmCache = Files.createTempDirectory("scimgate-jvm-cache");
        ProcessBuilder builder = new ProcessBuilder(List.of("bin/scimgate"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("SCIMGATE_JAR", jar.toString());
        builder.environment().put("SCIMGATE_JVM_CACHE", jvmCache.toString());
        builder.environment().remove("JAVA_OPTS");
        // Any free port: the newcomer's way in is the URL the log prints, so the test takes it from there.
        builder.environment().put("PORT", "0");
        builder.environment().put("SCIMGATE_DATA_DIR", dataDir.toString());
        builder.environment().put("SCIMGATE_EMBEDDED_DB_PORT", "0");
        builder.environment().put("SCIMGATE_WEBHOOK_TOKEN", "jar-test-webhook-token");
        process = builder.start();
        base = URI.create(awaitConsoleUrl(Duration.ofSeconds(90)));
        awaitHealthy(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopJar() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // stops the service the other tests use
    void theLauncherBecomesTheJvmAndASigtermStopsTheServiceGracefully() throws Exception {
        assertThat(process.info().command()).as("bin/scimgate exec'd java: no shell stands between")
                .hasValueSatisfying(command -> assertThat(Path.of(command).getFileName().toString()).isEqualTo("java"));
        assertThat(process.info().arguments()).hasValueSatisfying(arguments ->
                assertThat(List.of(arguments)).anyMatch(a -> a.startsWith("-Xmx")));

        process.destroy(); // SIGTERM, to the launcher's pid

        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        assertThat(Files.readString(log)).contains("Commencing graceful shutdown");
        try (var archives = Files.walk(jvmCache)) {
            assertThat(archives.map(p -> p.getFileName().toString()))
                    .as("the first run left what the class-data archive is made from: the AOT cache (JDK 25), the class list (JDK 17)")
                    .anyMatch(name -> name.equals("scimgate.aot") || name.equals("classes.lst"));
        }
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
        java.util.regex.Matcher psql = java.util.regex.Pattern.compile(
                        "PGPASSWORD=\"\\$\\(cat ([^)]+)\\)\" psql \"postgresql://scimgate_app@localhost:(\\d+)/scimgate\"")
                .matcher(Files.readString(log));
        assertThat(psql.find()).as("the log shows the psql command").isTrue();
        String appPassword = Files.readString(Path.of(psql.group(1))).trim();
        assertThat(Files.readString(log)).as("the log never shows the password").doesNotContain(appPassword);
        Path jar = Path.of(System.getProperty("scimgate.jar", "target/scimgate.jar"));
        String output = "";
        for (int attempt = 0; attempt < 20; attempt++) {
            ProcessBuilder verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "audit", "verify").redirectErrorStream(true);
            verify.environment().put("SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:" + psql.group(2) + "/scimgate");
            verify.environment().put("SPRING_DATASOURCE_USERNAME", "scimgate_app");
            verify.environment().put("SPRING_DATASOURCE_PASSWORD", appPassword);
            verify.environment().put("SCIMGATE_WEBHOOK_TOKEN", "unused");
            verify.environment().put("SCIMGATE_OPERATOR_KEY", "unused");
            Process process = verify.start();
            output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
            if (!output.contains("not sealed yet") && !output.contains("0 decisions verified")) {
                break;
            }
            Thread.sleep(500); // the sealer links rows about a second after they commit
        }
        assertThat(output).contains("Audit chain intact:").doesNotContain(" 0 decisions verified");
    }

    @Test
    void verifiesTheAuditChainBesideTheRunningServiceFromItsDataDirectoryAlone() throws Exception {
        post("""
                {"eventType":"user.created","data":{"userName":"beside@acme.com","emails":[{"value":"beside@acme.com","primary":true}]}}""");
        ProcessBuilder verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("scimgate.jar", "target/scimgate.jar")).toString(), "audit", "verify")
                .redirectErrorStream(true);
        verify.environment().remove("SPRING_DATASOURCE_URL");
        verify.environment().put("SCIMGATE_DATA_DIR", dataDir.toString());
        Process process = verify.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).doesNotContain("in use by another scimgate instance")
                .contains("Reading the database of the service running on " + dataDir.toAbsolutePath().normalize())
                .contains("Audit chain intact:");
    }

    @Test
    void runsTheAnalystsRulesCommandWithoutADatabase() throws Exception {
        Path jar = Path.of(System.getProperty("scimgate.jar", "target/scimgate.jar"));
        Process check = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "rules", "test").redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(output).isZero();
        assertThat(output).contains("0 failed").doesNotContain("FAIL");

        Path broken = Files.createTempDirectory("scimgate-broken-rules");
        Files.writeString(broken.resolve("broken.drl"), "package broken;\nrule \"x\" when\n  Foo( a == )\nthen end\n");
        Process failing = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "rules", "check", broken.toString()).redirectErrorStream(true).start();
        String errors = new String(failing.getInputStream().readAllBytes());
        assertThat(failing.waitFor()).isEqualTo(1);
        assertThat(errors).contains("broken.drl:3:");
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/webhook/scim-validation"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer jar-test-webhook-token")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The console URL the service logs once it listens, e.g. {@code http://localhost:41873/}. */
    private static String awaitConsoleUrl(Duration timeout) throws Exception {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("The console is at (http://localhost:(\\d+)/): "
                + "sign in with the operator key");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            java.util.regex.Matcher found = line.matcher(Files.readString(log));
            if (found.find()) {
                assertThat(Integer.parseInt(found.group(2))).isPositive();
                return found.group(1);
            }
            if (!process.isAlive()) {
                throw new AssertionError("the jar exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the jar logged no console URL in " + timeout + ":\n" + Files.readString(log));
    }

    @Test
    void printsTheConsoleUrlAndTheGeneratedOperatorKeyThatSignsInThere() throws Exception {
        String key = Files.readString(log).replaceAll("(?s).*No SCIMGATE_OPERATOR_KEY was set.*?\\n\\s*(\\S+)\\s*\\n.*", "$1");
        HttpResponse<String> signIn = HTTP.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.body()).contains("id=\"key\"");
        HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/ruleset"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as("the printed key (%s) is the operator key", key).isEqualTo(200);
    }

    private static void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the jar exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the jar did not become healthy in " + timeout + ":\n" + Files.readString(log));
    }
}
