package org.scimgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What Tomcat refuses before any filter runs (headers over 8 KB, an encoded slash or NUL in the
 * path, TRACE) is answered in the audience's JSON error shape, never Tomcat's HTML page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TomcatRefusalsTest extends PostgresTest {

    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    private RawHttp.Answer send(String requestLine, String headers) throws Exception {
        return RawHttp.exchange("127.0.0.31", port, requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + headers + "\r\n");
    }

    private JsonNode structured(RawHttp.Answer answer, String contentType) throws Exception {
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith(contentType);
        assertThat(answer.body().toLowerCase()).doesNotContain("<html").doesNotContain("tomcat")
                .doesNotContain("exception");
        return json.readTree(answer.body());
    }

    private void scimError(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).isEqualTo(status);
        JsonNode body = structured(answer, "application/scim+json");
        assertThat(body.get("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(body.get("status").asText()).isEqualTo(Integer.toString(status));
    }

    private void webhookError(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).isEqualTo(status);
        JsonNode body = structured(answer, "application/json");
        assertThat(body.get("status").asText()).isEqualTo("MALFORMED");
        assertThat(body.get("errorCode").asText()).isNotBlank();
    }

    private void problem(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).isEqualTo(status);
        JsonNode body = structured(answer, "application/problem+json");
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asText()).isNotBlank();
    }

    @Test
    void anEncodedSlashInThePathGetsTheAudiencesError() throws Exception {
        scimError(send("GET /scim/v2/Users/a%2Fb HTTP/1.1", ""), 400);
        webhookError(send("POST /webhook/scim-validation%2F HTTP/1.1", "Content-Length: 0\r\n"), 400);
        problem(send("GET /api/v1/decisions/a%2Fb HTTP/1.1", ""), 400);
    }

    @Test
    void anEncodedNulInThePathGetsTheAudiencesError() throws Exception {
        scimError(send("GET /scim/v2/Users/a%00b HTTP/1.1", ""), 400);
        webhookError(send("POST /webhook/scim-validation%00 HTTP/1.1", "Content-Length: 0\r\n"), 400);
        problem(send("GET /api/v1/decisions/a%00b HTTP/1.1", ""), 400);
    }

    @Test
    void headersOverTheLimitGetTheAudiencesError() throws Exception {
        String big = "X-Padding: " + "a".repeat(9 * 1024) + "\r\n";
        scimError(send("GET /scim/v2/Users HTTP/1.1", big), 400);
        webhookError(send("POST /webhook/scim-validation HTTP/1.1", "Authorization: " + TestCredentials.WEBHOOK
                + "\r\n" + big + "Content-Length: 0\r\n"), 400);
        problem(send("GET /api/v1/ruleset HTTP/1.1", big), 400);
    }

    @Test
    void traceGetsTheAudiencesErrorAndNeverAnEcho() throws Exception {
        String secret = "Authorization: Bearer " + TestCredentials.OPERATOR_KEY + "\r\n";
        RawHttp.Answer scim = send("TRACE /scim/v2/Users HTTP/1.1", secret);
        scimError(scim, 405);
        RawHttp.Answer webhook = send("TRACE /webhook/scim-validation HTTP/1.1", secret);
        webhookError(webhook, 405);
        RawHttp.Answer api = send("TRACE /api/v1/ruleset HTTP/1.1", secret);
        problem(api, 405);
        RawHttp.Answer elsewhere = send("TRACE /console HTTP/1.1", secret);
        problem(elsewhere, 405);
        assertThat(scim.body() + webhook.body() + api.body() + elsewhere.body())
                .doesNotContain(TestCredentials.OPERATOR_KEY);
    }
}
