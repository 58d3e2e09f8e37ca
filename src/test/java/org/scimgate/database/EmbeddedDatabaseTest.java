package org.scimgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.ScimgateApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The run command's default: no database configured, so the service starts its own. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(ScimgateApplication.class).run(
                "--server.port=0",
                "--scimgate.database.data-dir=" + dataDir,
                "--scimgate.database.embedded-port=0",
                "--scimgate.siem.file=" + dataDir.resolve("siem.ndjson"),
                "--scimgate.security.credentials-dir=" + dataDir.resolve("credentials"));
    }

    @Test
    void keepsTheHistoryAcrossARestart() throws Exception {
        String decisionId;
        try (ConfigurableApplicationContext first = start()) {
            decisionId = deliver(first);
        }
        assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).hasContent("17");
        try (ConfigurableApplicationContext second = start()) {
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT outcome FROM decision_audit WHERE decision_id = ?::uuid",
                    String.class, decisionId)).isEqualTo("ACCEPTED");
        }
    }

    @Test
    void refusesASecondInstanceOnTheSameDataDirectory() {
        try (ConfigurableApplicationContext first = start()) {
            assertThatThrownBy(this::start).hasRootCauseInstanceOf(DataDirectoryInUse.class)
                    .rootCause().hasMessageContaining("is in use by another scimgate instance");
            assertThat(first.isRunning()).isTrue();
        }
    }

    private static String deliver(ConfigurableApplicationContext context) throws Exception {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhook/scim-validation"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + java.nio.file.Files.readString(java.nio.file.Path.of(
                        context.getEnvironment().getProperty("scimgate.security.credentials-dir"), "webhook-token")).trim())
                .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"eventType":"user.created","data":{"userName":"restart@acme.com",
                         "emails":[{"value":"restart@acme.com","primary":true}]}}""")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("decisionId").asText();
    }
}
