package org.scimgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.ScimgateApplication;
import org.scimgate.support.SlowRules;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestRules;
import org.scimgate.support.WholeServiceTest;

/**
 * SIGTERM to a service under load, on its embedded PostgreSQL: every request it accepted gets a
 * complete answer that is not a 5xx, and every decision answered is in the audit. The others are
 * refused, which a sender retries: the connection is refused, reset with the request still unread
 * in the service's socket (TCP answers a close with unread data with a reset), or closed before
 * the request arrived. A request the service accepted and then dropped is told from those by the
 * audit: a decision recorded for a request that got no answer fails the test.
 *
 * <p>Requests of the load are answered in milliseconds, which Tomcat's own stop lets finish too.
 * So a few requests whose rules take {@link #SLOW_SECONDS} (longer than the 5 s Tomcat gives its
 * workers when it stops at once) are in flight when SIGTERM arrives: a graceful shutdown answers
 * them with their verdict; {@code server.shutdown: immediate} interrupts or drops them.
 */
@WholeServiceTest
class ShutdownUnderLoadTest {

    private static final int WORKERS = 12;
    private static final int SLOW_REQUESTS = 3;
    private static final long SLOW_SECONDS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { ANSWERED, REFUSED, CLOSED_UNREAD, CLOSED_UNANSWERED, INCOMPLETE }

    record Outcome(Kind kind, int status, String decisionId, long startedAt, long endedAt, String detail,
                   String deliveryId) {
        Outcome(Kind kind, int status, String decisionId, long startedAt, long endedAt, String detail) {
            this(kind, status, decisionId, startedAt, endedAt, detail, null);
        }

        Outcome from(String delivery) {
            return new Outcome(kind, status, decisionId, startedAt, endedAt, detail, delivery);
        }
    }

    @TempDir
    Path dataDir;

    @Test
    void answersEveryAcceptedRequestAndRecordsItWhenTerminatedUnderLoad() throws Exception {
        int port = freePort();
        Path log = dataDir.resolve("service.log");
        Path begun = Files.createDirectories(dataDir.resolve("slow-evaluations-begun"));
        Path rules = slowRules(begun);
        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), ScimgateApplication.class.getName(),
                "--spring.profiles.active=test",
                "--server.port=" + port,
                "--scimgate.database.data-dir=" + dataDir,
                "--scimgate.siem.file=" + dataDir.resolve("siem.ndjson"),
                "--scimgate.policy.rules-dir=" + rules,
                "--scimgate.policy.allowed-types=" + SlowRules.ALLOW,
                "--scimgate.policy.evaluation-timeout=60s",
                // production's grace (Spring's default), not the test profile's short one
                "--spring.lifecycle.timeout-per-shutdown-phase=30s",
                // the relay runs, and must let go of the outbox before its embedded database stops
                "--scimgate.siem.relay-enabled=true")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        List<Outcome> slowOutcomes = new ArrayList<>();
        AtomicLong terminatedAt = new AtomicLong(Long.MAX_VALUE);
        try {
            awaitReady(service, port, log);
            CountDownLatch warmedUp = new CountDownLatch(WORKERS * 10);
            ExecutorService load = Executors.newFixedThreadPool(WORKERS);
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                load.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Outcome outcome = post(port, worker, i);
                        outcomes.add(outcome);
                        warmedUp.countDown();
                        if (outcome.kind() == Kind.REFUSED) {
                            return;
                        }
                    }
                });
            }
            warmedUp.await(5, TimeUnit.MINUTES);
            ExecutorService slowSenders = Executors.newFixedThreadPool(SLOW_REQUESTS);
            List<Future<Outcome>> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_REQUESTS; i++) {
                String user = "slow-wait-" + i + "@acme.com";
                slow.add(slowSenders.submit(() -> post(port, user)));
            }
            // SIGTERM once every slow request is being judged: its rules have begun.
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                try (var begunFiles = Files.list(begun)) {
                    return begunFiles.count() == SLOW_REQUESTS;
                }
            });
            terminatedAt.set(System.nanoTime());
            service.destroy(); // SIGTERM
            load.shutdown();
            assertThat(load.awaitTermination(5, TimeUnit.MINUTES)).as("the load stopped").isTrue();
            assertThat(service.waitFor(2, TimeUnit.MINUTES)).as("the service stopped").isTrue();
            slowSenders.shutdown();
            for (Future<Outcome> answer : slow) {
                slowOutcomes.add(answer.get(1, TimeUnit.MINUTES));
            }
        } finally {
            service.destroyForcibly();
        }

        String serviceLog = Files.readString(log);
        List<Outcome> answered = outcomes.stream().filter(o -> o.kind() == Kind.ANSWERED).toList();
        assertThat(outcomes).as("no answer cut short").noneMatch(o -> o.kind() == Kind.INCOMPLETE);
        assertThat(answered).as("no 5xx while shutting down; service log:\n" + tail(serviceLog))
                .allSatisfy(o -> assertThat(o.status()).as(o.detail()).isIn(200, 400));
        assertThat(answered).as("requests in flight when SIGTERM arrived were answered")
                .anyMatch(o -> o.startedAt() < terminatedAt.get() && o.endedAt() > terminatedAt.get());
        assertThat(outcomes).as("the service stopped accepting").anyMatch(o -> o.kind() == Kind.REFUSED);
        assertThat(slowOutcomes).as("requests being judged when SIGTERM arrived, for longer than Tomcat's own stop "
                        + "waits, were answered with their verdict; service log:\n" + tail(serviceLog))
                .hasSize(SLOW_REQUESTS)
                .allSatisfy(o -> {
                    assertThat(o.kind()).as(o.detail()).isEqualTo(Kind.ANSWERED);
                    // judged to the end (a policy that could not judge in time refuses with 400)
                    assertThat(o.status()).as(o.detail()).isEqualTo(200);
                    assertThat(o.detail()).as(o.detail()).contains("\"status\":\"ACCEPTED\"");
                });

        List<String> recorded = new ArrayList<>();
        List<String> deliveries = new ArrayList<>();
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0);
             Connection c = postgres.connect("scimgate");
             PreparedStatement q = c.prepareStatement("SELECT decision_id::text, delivery_id FROM decision_audit");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                recorded.add(rs.getString(1));
                deliveries.add(rs.getString(2));
            }
        }
        assertThat(recorded).as("every decision answered is in the audit")
                .containsAll(answered.stream().map(Outcome::decisionId).toList())
                .containsAll(slowOutcomes.stream().map(Outcome::decisionId).toList());
        assertThat(outcomes.stream().filter(o -> o.kind() != Kind.ANSWERED).map(Outcome::deliveryId).toList())
                .as("no request that got no answer was decided and recorded (accepted, then dropped)")
                .doesNotContainAnyElementsOf(deliveries);
    }

    /**
     * The shipped rules and one more, in dryrun mode, whose evaluation of a {@code slow-wait-} user
     * announces itself in {@code begun} and then takes {@link #SLOW_SECONDS}.
     */
    private static Path slowRules(Path begun) throws IOException {
        Path rules = TestRules.copyOfShippedRules("scimgate-slow-rules");
        Files.createDirectories(rules.resolve("slow"));
        Files.writeString(rules.resolve("slow/slow.drl"), """
                package slow;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;

                function boolean slow(String s) {
                    org.scimgate.support.SlowRules.announceAndSpinWhile(s, "slow-wait-", "%s", %d);
                    return s.startsWith("slow-");
                }

                rule "Slow check"
                    @code("SLOW_CHECK") @severity("low") @mode("dryrun") @description("a rule that takes its time for some names")
                when
                    ScimUser( userName != null, slow(userName) )
                then
                    insert(new Violation("userName", "slow"));
                end
                """.formatted(begun.toString().replace("\\", "\\\\"), SLOW_SECONDS));
        Files.writeString(rules.resolve("slow/examples.yaml"), """
                "Slow check":
                  allowed:
                    - name: an ordinary user
                      user: {userName: jane@acme.com, emails: [{value: jane@acme.com, primary: true}],
                             department: Engineering, costCenter: CC-1234}
                  disallowed:
                    - name: a slow- name, judged at once
                      user: {userName: slow-1@acme.com, emails: [{value: slow-1@acme.com, primary: true}],
                             department: Engineering, costCenter: CC-1234}
                      expect: [SLOW_CHECK]
                """);
        return rules;
    }

    /** One request on its own connection, so a refusal can be told from an answer cut short. */
    private static Outcome post(int port, int worker, int i) {
        String user = (i % 2 == 0 ? "load" : "mallory") + worker + "x" + i + (i % 2 == 0 ? "@acme.com" : "@evil.com");
        return post(port, user);
    }

    private static Outcome post(int port, String user) {
        String delivery = UUID.randomUUID().toString();
        return post(port, user, delivery).from(delivery);
    }

    private static Outcome post(int port, String user, String delivery) {
        // a slow user is otherwise valid: judged to the end, it is accepted (the slow rule only dry-runs)
        String valid = user.startsWith("slow-") ? ",\"department\":\"Engineering\",\"costCenter\":\"CC-1234\"" : "";
        byte[] body = ("{\"eventType\":\"user.created\",\"data\":{\"userName\":\"" + user + "\",\"emails\":[{\"value\":\""
                + user + "\",\"primary\":true}]" + valid + "}}").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /webhook/scim-validation HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Authorization: " + TestCredentials.WEBHOOK + "\r\nContent-Type: application/json\r\n"
                + "x-genesys-webhook-id: " + delivery + "\r\nContent-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long started = System.nanoTime();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            } catch (ConnectException refused) {
                return new Outcome(Kind.REFUSED, -1, null, started, System.nanoTime(), refused.toString());
            }
            socket.setSoTimeout(120_000);
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            in.transferTo(response);
        } catch (SocketException reset) {
            // A reset before any byte of an answer: the service closed with the request unread in its socket.
            Kind kind = response.size() == 0 ? Kind.CLOSED_UNREAD : Kind.INCOMPLETE;
            return new Outcome(kind, -1, null, started, System.nanoTime(), reset + " after " + response);
        } catch (IOException e) {
            return new Outcome(Kind.INCOMPLETE, -1, null, started, System.nanoTime(), e + " after " + response);
        }
        return parse(response.toString(StandardCharsets.UTF_8), started);
    }

    private static Outcome parse(String raw, long started) {
        long ended = System.nanoTime();
        int split = raw.indexOf("\r\n\r\n");
        if (raw.isEmpty()) {
            // A clean close with no answer: closed before the request arrived, or read and dropped; the
            // audit tells which (a decision recorded for it fails the test).
            return new Outcome(Kind.CLOSED_UNANSWERED, -1, null, started, ended, "closed without an answer");
        }
        if (!raw.startsWith("HTTP/1.1 ") || split < 0) {
            return new Outcome(Kind.INCOMPLETE, -1, null, started, ended, raw);
        }
        int status = Integer.parseInt(raw.substring(9, 12));
        String headers = raw.substring(0, split).toLowerCase();
        String body = raw.substring(split + 4);
        if (headers.contains("transfer-encoding: chunked")) {
            if (!body.endsWith("0\r\n\r\n")) {
                return new Outcome(Kind.INCOMPLETE, status, null, started, ended, raw);
            }
            body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n\r\n"));
        }
        try {
            String decisionId = JSON.readTree(body).path("decisionId").asText(null);
            if ((status == 200 || status == 400) && decisionId == null) {
                return new Outcome(Kind.INCOMPLETE, status, null, started, ended, raw);
            }
            return new Outcome(Kind.ANSWERED, status, decisionId, started, ended, raw);
        } catch (IOException e) {
            return new Outcome(Kind.INCOMPLETE, status, null, started, ended, raw);
        }
    }

    private static void awaitReady(Process service, int port, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        // a guard against a service that never starts, generous for a build machine shared with other builds
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(service.isAlive()).as("the service is running:\n" + tail(Files.readString(log))).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the service did not become ready:\n" + tail(Files.readString(log)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(String log) {
        return log.length() <= 6_000 ? log : log.substring(log.length() - 6_000);
    }
}
