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
 * Boots the packaged jar through the launcher, {@code bin/scimgate}, as the Dockerfile does: the
 * launcher must hand the process over to the JVM (exec), so that SIGTERM stops it gracefully, and
 * leave what the class-data archive is made from. (The README's {@code java -jar} way is
 * {@code docs/QuickStartIT}.)
 */
@WholeServiceTest
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class LauncherIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Process process;
    private static Path log;
    private static URI base;
    private static Path dataDir;
    private static Path jvmCache;

    @BeforeAll
    static void startJar() throws Exception {
        dataDir = Files.createTempDirectory("scimgate-jar-data");
        jvmCache = Files.createTempDirectory("scimgate-jvm-cache");
        start(null);
    }

    private static void start(String javaOpts) throws Exception {
        Path jar = Path.of(System.getProperty("scimgate.jar", "target/scimgate.jar"));
        assertThat(jar).exists();
        log = Files.createTempFile("scimgate-jar", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("bin/scimgate"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("SCIMGATE_JAR", jar.toString());
        builder.environment().put("SCIMGATE_JVM_CACHE", jvmCache.toString());
        builder.environment().remove("JAVA_OPTS");
        if (javaOpts != null) {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
        // Any free port: the newcomer's way in is the URL the log prints, so the test takes it from there.
        builder.environment().put("PORT", "0");
        builder.environment().put("SCIMGATE_DATA_DIR", dataDir.toString());
        builder.environment().put("SCIMGATE_EMBEDDED_DB_PORT", "0");
        builder.environment().put("SCIMGATE_WEBHOOK_TOKEN", "jar-test-webhook-token");
        process = builder.start();
        base = URI.create(awaitConsoleUrl(Duration.ofMinutes(5)));
        awaitHealthy(Duration.ofMinutes(5));
    }

    @AfterAll
    static void stopJar() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void theLauncherBecomesTheJvmAndASigtermStopsTheServiceGracefully() throws Exception {
        assertThat(process.info().command()).as("bin/scimgate exec'd java: no shell stands between")
                .hasValueSatisfying(command -> assertThat(Path.of(command).getFileName().toString()).isEqualTo("java"));
        assertThat(process.info().arguments()).hasValueSatisfying(arguments ->
                assertThat(List.of(arguments)).anyMatch(a -> a.startsWith("-Xmx")));

        HttpResponse<String> judged = post("""
                {"eventType":"user.created","eventTimestamp":"2026-12-07T10:00:00Z","data":{"userName":"launcher@acme.com",
                 "emails":[{"value":"launcher@acme.com","primary":true}],"department":"Engineering","costCenter":"CC-1234"}}""");
        assertThat(judged.statusCode()).as(judged.body()).isEqualTo(200);

        process.destroy(); // SIGTERM, to the launcher's pid

        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        assertThat(Files.readString(log)).contains("Commencing graceful shutdown");
        try (var archives = Files.walk(jvmCache)) {
            assertThat(archives.map(p -> p.getFileName().toString()))
                    .as("the first run left what the class-data archive is made from: the AOT cache (JDK 25), the class list (JDK 17)")
                    .anyMatch(name -> name.equals("scimgate.aot") || name.equals("classes.lst"));
        }
    }

    /**
     * The archive is used, not merely offered: started from a directory other than the archive's
     * (as every start is), with the JVM told to refuse to run without it. An archive dumped with
     * a relative class path was silently ignored by every start from elsewhere.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void theClassDataArchiveMadeByEarlierRunsIsUsedByTheNextStart() throws Exception {
        stopJar();
        boolean jdk25 = Runtime.version().feature() >= 25;
        if (!jdk25) {
            start(null); // the second start dumps the static archive in the background
            stopJar();
        }
        Path extracted;
        try (var dirs = Files.list(jvmCache)) {
            extracted = dirs.filter(d -> Files.exists(d.resolve("scimgate.jar"))).findFirst().orElseThrow();
        }
        Path archive = extracted.resolve(jdk25 ? "scimgate.aot" : "scimgate.jsa");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.exists(archive) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(archive).as("the class-data archive was made").exists();
        assertThat(Path.of("").toAbsolutePath()).as("started from elsewhere than the archive's directory")
                .isNotEqualTo(extracted.toAbsolutePath());

        start(jdk25 ? "-XX:AOTMode=on" : "-Xshare:on"); // the JVM exits when it cannot use the archive

        HttpResponse<String> judged = post("""
                {"eventType":"user.created","eventTimestamp":"2026-12-07T10:00:00Z","data":{"userName":"shared@acme.com",
                 "emails":[{"value":"shared@acme.com","primary":true}],"department":"Engineering","costCenter":"CC-1234"}}""");
        assertThat(judged.statusCode()).as(judged.body()).isEqualTo(200);
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aBrokenClassDataArchiveIsIgnoredNotFatal() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
        Path extracted;
        try (var dirs = Files.list(jvmCache)) {
            extracted = dirs.filter(d -> Files.exists(d.resolve("scimgate.jar"))).findFirst().orElseThrow();
        }
        // What a disk error, a copy from another machine or JDK, or a half-written file leaves.
        Path archive = extracted.resolve(Runtime.version().feature() >= 25 ? "scimgate.aot" : "scimgate.jsa");
        Files.write(archive, "not a class-data archive".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        start(null);

        assertThat(process.info().arguments()).as("the launcher offered the archive to the JVM").hasValueSatisfying(
                arguments -> assertThat(List.of(arguments)).anyMatch(a -> a.endsWith("=" + archive)));
        HttpResponse<String> judged = post("""
                {"eventType":"user.created","eventTimestamp":"2026-12-07T10:00:00Z","data":{"userName":"archive@acme.com",
                 "emails":[{"value":"archive@acme.com","primary":true}],"department":"Engineering","costCenter":"CC-1234"}}""");
        assertThat(judged.statusCode()).as("the service runs without the archive: " + judged.body()).isEqualTo(200);
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
