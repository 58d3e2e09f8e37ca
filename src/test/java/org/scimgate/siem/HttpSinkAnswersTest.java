package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;

/**
 * Answers that look like a success and are not one: a 2xx is only a delivery when it is the whole
 * answer the SIEM gives for one, and a redirect is the endpoint's set-up, never a delivery.
 */
@Timeout(60)
class HttpSinkAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SiemRecord record() {
        return new SiemRecord("scimgate", "2026-11-29T10:00:01Z", "UNKNOWN_EVENT", "u-1", "jane@acme.com", "ACCEPTED",
                JSON.createArrayNode(), "2026-11-29T10:00:00Z", "scimgate", UUID.randomUUID(), "abc", "wh-1",
                "2026-11-29T10:00:00.5Z", "user.created", null);
    }

    private static SplunkHecSink hec(URI endpoint) {
        return new SplunkHecSink(HttpClient.newHttpClient(), endpoint, Duration.ofSeconds(5),
                CircuitBreaker.ofDefaults("answers-" + UUID.randomUUID()), JSON, "hec-token");
    }

    @Test
    void aHecAnswerCutShortIsNotADelivery() throws Exception {
        // HTTP/1.1 allows a body that ends when the connection closes: a cut there is not an error to
        // the client, so only reading HEC's answer can tell that "ackId" never arrived.
        String cut = "{\"text\":\"Success\",\"code\":0,\"ackI";
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> answerOnce(server,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + cut));
            URI endpoint = URI.create("http://127.0.0.1:" + server.getLocalPort());
            assertThatThrownBy(() -> hec(endpoint).deliver(List.of(record())))
                    .isInstanceOfSatisfying(SiemDeliveryFailed.class, e -> {
                        assertThat(e.kind()).isNotEqualTo(SiemDeliveryFailed.Kind.RECORDS_REFUSED);
                        assertThat(e.getMessage()).contains("not as Splunk HEC");
                    });
            assertThat(request.get(10, TimeUnit.SECONDS)).startsWith("POST /services/collector/event");
        }
    }

    @Test
    void aPageThatIsNotHecsAnswerIsNotADelivery() throws Exception {
        try (LoopbackServer proxy = new LoopbackServer()) {
            SplunkHecSink sink = hec(proxy.uri());
            for (String page : new String[] {"<html><body>Please sign in</body></html>", "", "{}",
                    "{\"text\":\"Token disabled\",\"code\":1}"}) {
                proxy.respond(r -> Response.of(200, page));
                assertThatThrownBy(() -> sink.deliver(List.of(record()))).as(page)
                        .isInstanceOfSatisfying(SiemDeliveryFailed.class, e ->
                                assertThat(e.kind()).as("the endpoint, not a record").isEqualTo(SiemDeliveryFailed.Kind.SETUP_REFUSED));
            }
            proxy.respond(r -> Response.of(200, "{\"text\":\"Success\",\"code\":0}"));
            sink.deliver(List.of(record()));
        }
    }

    @Test
    void aRedirectIsTheEndpointsSetUpAndNothingFollowsIt() throws Exception {
        try (LoopbackServer moved = new LoopbackServer(); LoopbackServer target = new LoopbackServer()) {
            target.respond(r -> Response.of(200, "{\"text\":\"Success\",\"code\":0}"));
            JsonSink json = new JsonSink(HttpClient.newHttpClient(), moved.uri(), Duration.ofSeconds(5),
                    CircuitBreaker.ofDefaults("answers-" + UUID.randomUUID()), JSON);
            for (int status : new int[] {301, 302, 303, 307, 308}) {
                moved.respond(r -> new Response(status, "", Map.of("Location", target.uri() + r.path())));
                for (SiemSink sink : List.of(json, hec(moved.uri()))) {
                    assertThatThrownBy(() -> sink.deliver(List.of(record()))).as("%s %d", sink.name(), status)
                            .isInstanceOfSatisfying(SiemDeliveryFailed.class, e -> {
                                assertThat(e.kind()).as("a moved endpoint is no record's fault and no outage")
                                        .isEqualTo(SiemDeliveryFailed.Kind.SETUP_REFUSED);
                                assertThat(e.getMessage()).contains(Integer.toString(status));
                            });
                }
            }
            assertThat(target.requests()).isEmpty();
        }
    }

    /** Reads one request (headers and a Content-Length body), writes {@code answer} and closes. */
    private static String answerOnce(ServerSocket server, String answer) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            String headers = head.toString(StandardCharsets.ISO_8859_1);
            int length = headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                    .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElse(0);
            in.readNBytes(length);
            socket.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return headers;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
