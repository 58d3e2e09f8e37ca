package org.scimgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.TestService;
import org.scimgate.support.TestCredentials;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** An external PostgreSQL that does not flush commits: the service runs, but says so loudly. */
@ExtendWith(OutputCaptureExtension.class)
class ExternalDatabaseDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void warnsInTheLogAndInHealthWhenTheDatabaseRunsWithFsyncOff(CapturedOutput output) throws Exception {
        // The library's own defaults: postgres -F, i.e. fsync off.
        try (EmbeddedPostgres careless = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
                .setCleanDataDirectory(false).setPort(0).setRegisterShutdownHook(false).start()) {
            try (Connection c = careless.getPostgresDatabase().getConnection(); Statement sql = c.createStatement()) {
                sql.execute("CREATE DATABASE scimgate");
            }
            try (ConfigurableApplicationContext service = TestService.start(
                    "--spring.datasource.url=" + careless.getJdbcUrl("postgres", "scimgate"),
                    "--spring.datasource.username=postgres",
                    "--scimgate.siem.file=" + dir.resolve("siem.ndjson"))) {
                assertThat(output.getOut()).contains("WARN").contains("The database runs with fsync = off");
                int port = ((WebServerApplicationContext) service).getWebServer().getPort();
                HttpResponse<String> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                        .header("Authorization", TestCredentials.OPERATOR).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(readiness.statusCode()).isEqualTo(200);
                JsonNode database = new ObjectMapper().readTree(readiness.body()).at("/components/database");
                assertThat(database.at("/status").asText()).isEqualTo("WARNING");
                assertThat(database.at("/details/fsync").asText()).isEqualTo("off");
            }
        }
    }
}
