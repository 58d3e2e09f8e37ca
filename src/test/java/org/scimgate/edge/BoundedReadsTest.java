package org.scimgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Reading a request is bounded: a caller is checked before its body is read, a refused body is
 * never drained, a body that does not arrive by the read deadline is cut off, and health keeps
 * answering while hundreds of slow bodies are held open. Over bare sockets, on a real PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scimgate.edge.read-timeout=2s",
        "scimgate.gateway.scim-token=edge-test-scim-token",
        "scimgate.genesys.client-id=client",
        "scimgate.genesys.client-secret=secret",
        "scimgate.genesys.api-base-url=http://127.0.0.1:9",
        "scimgate.genesys.login-base-url=http://127.0.0.1:9"})
class BoundedReadsTest extends PostgresTest {

    /** Longer than any answer here should take, shorter than Tomcat's own 60 s default. */
    private static final int PATIENCE_MS = 20_000;

    @LocalServerPort
    int port;

    /** Sends the head of a request promising a large body, and not one byte of it. */
    private Socket headersOnly(String from, String head) throws IOException {
        Socket socket = RawHttp.connect(from, port);
        socket.setSoTimeout(PATIENCE_MS);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void everyEndpointRefusesAnUnauthenticatedCallerBeforeItsBodyArrivesAndClosesTheConnection() throws Exception {
        List<String> heads = List.of(
                RawHttp.post("/webhook/scim-validation", "Authorization: Bearer wrong\r\n", 100_000),
                RawHttp.post("/webhook/scim-validation", "", 100_000),
                RawHttp.post("/scim/v2/Users", "Authorization: Bearer wrong\r\n", 100_000),
                RawHttp.post("/api/v1/policy/evaluate", "", 100_000));
        for (String head : heads) {
            try (Socket socket = headersOnly("127.0.0.21", head)) {
                InputStream in = socket.getInputStream();
                RawHttp.Answer answer = RawHttp.read(in);
                assertThat(answer.status()).as(head).isEqualTo(401);
                assertThat(in.read()).as("the connection is closed, the body never drained: " + head).isEqualTo(-1);
            }
        }
    }

    @Test
    void aBodyThatDribblesInIsCutOffAtTheReadDeadline() throws Exception {
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = headersOnly("127.0.0.22", RawHttp.post("/webhook/scim-validation",
                "Authorization: " + TestCredentials.WEBHOOK + "\r\nx-genesys-webhook-id: dribble\r\n", 100_000))) {
            OutputStream out = socket.getOutputStream();
            dribbler.scheduleAtFixedRate(() -> {
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException closed) {
                    throw new IllegalStateException(closed);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            InputStream in = socket.getInputStream();
            RawHttp.Answer answer = RawHttp.read(in);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.body()).contains("REQUEST_TIMEOUT").doesNotContain("<html");
            assertThat(in.read()).as("the connection is closed").isEqualTo(-1);
        } finally {
            dribbler.shutdownNow();
        }
    }

    @Test
    void headersThatNeverEndAreClosedAtTheReadDeadline() throws Exception {
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = RawHttp.connect("127.0.0.26", port)) {
            socket.setSoTimeout(PATIENCE_MS);
            OutputStream out = socket.getOutputStream();
            out.write("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            dribbler.scheduleAtFixedRate(() -> {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closed) {
                    throw new IllegalStateException(closed);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            InputStream in = socket.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (java.net.SocketException reset) {
                read = -1; // closed while we were still sending: a reset is a close too
            }
            assertThat(read).as("the connection is closed, nothing answered").isEqualTo(-1);
        } finally {
            dribbler.shutdownNow();
        }
    }

    @Test
    void aRequestWithoutABodyKeepsItsConnection() throws Exception {
        try (Socket socket = RawHttp.connect("127.0.0.25", port)) {
            for (int i = 0; i < 2; i++) {
                socket.getOutputStream().write("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                assertThat(RawHttp.read(socket.getInputStream()).status()).as("answer " + (i + 1)).isEqualTo(200);
            }
        }
    }

    @Test
    void healthAnswersWhileTwoHundredSlowBodiesAreHeldOpen() throws Exception {
        List<Socket> slow = new ArrayList<>();
        String[] paths = {"/webhook/scim-validation", "/scim/v2/Users", "/api/v1/decisions"};
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = headersOnly("127.0.0.23", RawHttp.post(paths[i % paths.length],
                        "Authorization: Bearer wrong\r\n", 100_000));
                socket.getOutputStream().write('{');
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("UP");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }
}
