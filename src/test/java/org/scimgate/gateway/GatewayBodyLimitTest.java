package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code /scim/v2} reads no body before the SCIM token is checked, and at most
 * {@code scimgate.gateway.max-body-size} after. Proved over raw sockets without timing: the answer
 * arrives while the client has sent none (or only part) of a 100 MB body, which a server that read
 * the body first could never give.
 */
class GatewayBodyLimitTest extends GatewayServiceTest {

    private static final long HUNDRED_MB = 100L * 1024 * 1024;

    @Test
    void anUnauthenticated100MbBodyIsRefusedBeforeAByteOfItIsSent() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(headers("Bearer wrong", "Content-Length: " + HUNDRED_MB));
            out.flush();
            // No body is sent: a server that read the body before checking the token would never answer.
            assertThat(statusLine(socket)).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void anUnauthenticatedFormEncodedPutIsNotReadEither() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /scim/v2/Users/u-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer wrong\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + HUNDRED_MB + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(statusLine(socket)).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void anAuthenticatedBodyOverTheLimitIsRefused413BeforeItIsSent() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(headers("Bearer " + StubGenesys.IDP_TOKEN, "Content-Length: " + HUNDRED_MB));
            out.flush();
            assertThat(statusLine(socket)).startsWith("HTTP/1.1 413");
        }
        assertThat(GENESYS.writes()).isEmpty();
    }

    @Test
    void anUnauthenticatedChunked100MbBodyIsRefusedWithoutBeingReadToTheEnd() throws Exception {
        assertChunkedBodyRefused("Bearer wrong", "HTTP/1.1 401");
    }

    @Test
    void anAuthenticatedChunkedBodyIsReadNoFurtherThanTheLimit() throws Exception {
        assertChunkedBodyRefused("Bearer " + StubGenesys.IDP_TOKEN, "HTTP/1.1 413");
        assertThat(GENESYS.writes()).isEmpty();
    }

    private void assertChunkedBodyRefused(String authorization, String status) throws Exception {
        AtomicLong sent = new AtomicLong();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(headers(authorization, "Transfer-Encoding: chunked"));
            out.flush();
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> streamChunks(out, sent));
            assertThat(statusLine(socket)).startsWith(status);
            // The server stops reading once it has answered; the upload then fails instead of completing.
            socket.shutdownInput();
            assertThat(upload).failsWithin(java.time.Duration.ofMinutes(2));
        }
        assertThat(sent.get()).as("bytes the client managed to send").isLessThan(HUNDRED_MB);
    }

    private static void streamChunks(OutputStream out, AtomicLong sent) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            while (sent.get() < HUNDRED_MB) {
                out.write(header);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sent.addAndGet(chunk.length);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        // Only turns a server that hangs waiting for the body into a failure; never makes a test pass.
        socket.setSoTimeout(120_000);
        return socket;
    }

    private static byte[] headers(String authorization, String length) {
        return ("POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/scim+json\r\n" + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String statusLine(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
}
