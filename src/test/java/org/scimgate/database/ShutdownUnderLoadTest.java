package org.scimgate.database;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.ScimgateApplication;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.WholeServiceTest;

/**
 * SIGTERM to a service under load, on its embedded PostgreSQL: every request it accepted gets a
 * complete answer that is not a 5xx, and every decision answered is in the audit. The others are
 * refused, which a sender retries: the connection is refused, reset with the request still unread
 * in the service's socket (TCP answers a close with unread data with a reset), or closed before
 * the request arrived. A request the service accepted and then dropped is told from those by the
 * audit: a decision recorded for a request that got no answer fails the test.
 */
@WholeServiceTest
class ShutdownUnderLoadTest {

    private static final int WORKERS = 12;
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
        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), ScimgateApplication.class.getName(),
                "--spring.profiles.active=test",
                "--server.port=" + port,
                "--scimgate.database.data-dir=" + dataDir,
                "--scimgate.siem.file=" + dataDir.resolve("siem.ndjson"),
                // the relay runs, and must let go of the outbox before its embedded database stops
                "--scimgate.siem.relay-enabled=true")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
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
            terminatedAt.set(System.nanoTime());
            service.destroy(); // SIGTERM
            load.shutdown();
            assertThat(load.awaitTermination(5, TimeUnit.MINUTES)).as("the load stopped").isTrue();
            assertThat(service.waitFor(2, TimeUnit.MINUTES)).as("the service stopped").isTrue();
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
                .containsAll(answered.stream().map(Outcome::decisionId).toList());
        assertThat(outcomes.stream().filter(o -> o.kind() != Kind.ANSWERED).map(Outcome::deliveryId).toList())
                .as("no request that got no answer was decided and recorded (accepted, then dropped)")
                .doesNotContainAnyElementsOf(deliveries);
    }

    /** One request on its own connection, so a refusal can be told from an answer cut short. */
    private static Outcome post(int port, int worker, int i) {
        String delivery = UUID.randomUUID().toString();
        return post(port, worker, i, delivery).from(delivery);
    }

    private static Outcome post(int port, int worker, int i, String delivery) {
        String user = (i % 2 == 0 ? "load" : "mallory") + worker + "x" + i + (i % 2 == 0 ? "@acme.com" : "@evil.com");
        byte[] body = ("{\"eventType\":\"user.created\",\"data\":{\"userName\":\"" + user + "\",\"emails\":[{\"value\":\""
                + user + "\",\"primary\":true}]}}").getBytes(StandardCharsets.UTF_8);
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
        for (int attempt = 0; attempt < 600; attempt++) {
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
