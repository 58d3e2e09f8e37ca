package org.scimgate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the webhook lost when it left Spring Security's chain, tried over a raw socket (no client
 * library to tidy the request): path variants the firewall refused, header values with control
 * characters, and the response headers the chain added.
 */
class WebhookEdgesOverHttpTest extends PostgresTest {

    private static final String COMPLIANT = """
            {"eventType":"user.created","data":{"userName":"edge@acme.com","emails":[{"value":"edge@acme.com","primary":true}],
             "department":"Engineering","costCenter":"CC-1234"}}""";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    /** Sends the request bytes as given (ISO-8859-1 headers) and returns the whole response. */
    private String raw(String path, String extraHeaders, String body) throws Exception {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Authorization: " + TestCredentials.WEBHOOK + "\r\nContent-Type: application/json\r\n"
                + extraHeaders + "Content-Length: " + content.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** This test's rows only: other classes share the database. */
    private int rowsOf(String deliveryId) {
        return jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE delivery_id = ?", Integer.class, deliveryId);
    }

    @Test
    void pathVariantsTheFirewallRefusedAreNotTheWebhook() throws Exception {
        for (String path : List.of("/webhook//scim-validation", "/webhook/./scim-validation",
                "/webhook/x/../scim-validation", "/webhook/scim-validation;x=y", "/webhook/scim%2Dvalidation")) {
            String delivery = "path-" + UUID.randomUUID();
            String answer = raw(path, "x-genesys-webhook-id: " + delivery + "\r\n", COMPLIANT);
            assertThat(answer).as(path).doesNotStartWith("HTTP/1.1 200").doesNotStartWith("HTTP/1.1 5");
            assertThat(rowsOf(delivery)).as("nothing decided for " + path).isZero();
        }
        assertThat(raw("/webhook/scim-validation", "x-genesys-webhook-id: ok-" + UUID.randomUUID() + "\r\n", COMPLIANT))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void aDeliveryIdWithAControlCharacterIsRefusedRecordedAndNeverEchoedRaw() throws Exception {
        String id = "forged-" + UUID.randomUUID();
        // U+0085 (NEL) is a line break to many log and CSV readers; Tomcat passes it through.
        String answer = raw("/webhook/scim-validation", "x-genesys-webhook-id: " + id + "\u0085INFO forged\r\n"
                + "X-Request-ID: req\u0085x\r\n", COMPLIANT);

        assertThat(answer).startsWith("HTTP/1.1 400").contains("control or formatting characters")
                .doesNotContain("\u0085").contains(id + "\\\\u0085INFO forged");
        var row = jdbc.queryForMap("SELECT delivery_id, request_id, outcome FROM decision_audit WHERE delivery_id LIKE ?",
                id + "%");
        assertThat(row.get("outcome")).isEqualTo("MALFORMED");
        assertThat((String) row.get("delivery_id")).doesNotContain("\u0085").isEqualTo(id + "\\u0085INFO forged");
        assertThat(row.get("request_id")).isNull();
    }

    /** Headers that describe one response (its body, its connection), not a protection. */
    private static final java.util.Set<String> PER_RESPONSE = java.util.Set.of("date", "content-type", "content-length",
            "transfer-encoding", "connection", "keep-alive", "vary");

    /** The response's headers, lower-cased names, without those that describe one response only. */
    private static java.util.Map<String, String> protectiveHeaders(String response) {
        java.util.Map<String, String> headers = new java.util.TreeMap<>();
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !PER_RESPONSE.contains(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT))) {
                headers.merge(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT),
                        line.substring(colon + 1).strip(), (x, y) -> x + ", " + y);
            }
        }
        return headers;
    }

    @Test
    void answersCarryTheSameHeadersAsTheApiBehindSpringSecurity() throws Exception {
        String webhook = raw("/webhook/scim-validation", "x-genesys-webhook-id: headers-" + UUID.randomUUID() + "\r\n",
                COMPLIANT);
        String api;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET /api/v1/ruleset HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: " + TestCredentials.OPERATOR + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            api = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(webhook).startsWith("HTTP/1.1 200");
        assertThat(api).startsWith("HTTP/1.1 200");
        assertThat(protectiveHeaders(webhook)).isEqualTo(protectiveHeaders(api))
                .containsEntry("x-frame-options", "DENY").containsEntry("x-content-type-options", "nosniff");
    }
}
