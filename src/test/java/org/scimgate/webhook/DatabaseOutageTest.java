package org.scimgate.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.scimgate.database.EmbeddedPostgresServer;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.scimgate.support.WholeServiceTest;

/** Stops the database under a running service: no answer may be given that was not recorded. */
@WholeServiceTest
@SpringBootTest
@AutoConfigureMockMvc
@DirtiesContext
class DatabaseOutageTest {

    private static Path pgData;
    private static int pgPort;
    private static EmbeddedPostgresServer postgres;

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        pgData = Files.createTempDirectory("scimgate-outage").resolve("pgdata");
        try (ServerSocket socket = new ServerSocket(0)) {
            pgPort = socket.getLocalPort();
        }
        postgres = EmbeddedPostgresServer.start(pgData, pgPort);
        registry.add("spring.datasource.url", () -> postgres.jdbcUrl("postgres"));
        TestCredentials.register(registry);
        registry.add("spring.datasource.username", () -> EmbeddedPostgresServer.SUPERUSER);
        registry.add("spring.datasource.password", () -> postgres.password());
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> pgData.resolveSibling("siem.ndjson").toString());
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    private MvcResult deliver(String webhookId) throws Exception {
        return mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK).contentType(MediaType.APPLICATION_JSON)
                .header("x-genesys-webhook-id", webhookId)
                .content("""
                        {"eventType":"user.created","data":{"userName":"outage@acme.com",
                         "emails":[{"value":"outage@acme.com","primary":true}]}}""")).andReturn();
    }

    @Test
    void answers503WithRetryAfterWhileTheAuditCannotBeWrittenAndNeverAnUnrecordedDecision() throws Exception {
        String before = UUID.randomUUID().toString();
        assertThat(deliver(before).getResponse().getStatus()).isEqualTo(200);

        postgres.close();
        String during = UUID.randomUUID().toString();
        mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK).contentType(MediaType.APPLICATION_JSON)
                        .header("x-genesys-webhook-id", during)
                        .content("{\"eventType\":\"user.created\",\"data\":{\"userName\":\"x\"}}"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.errorCode").value("AUDIT_UNAVAILABLE"))
                .andExpect(jsonPath("$.decisionId").doesNotExist());

        postgres = EmbeddedPostgresServer.start(pgData, pgPort);
        MvcResult retried = deliver(during);
        assertThat(retried.getResponse().getStatus()).isEqualTo(200);
        String retriedId = new ObjectMapper().readTree(retried.getResponse().getContentAsString()).get("decisionId").asText();

        assertThat(jdbc.queryForList("SELECT delivery_id FROM decision_audit WHERE delivery_id IN (?, ?)", String.class,
                before, during)).containsExactlyInAnyOrder(before, during);
        assertThat(jdbc.queryForObject("SELECT decision_id::text FROM decision_audit WHERE delivery_id = ?", String.class,
                during)).isEqualTo(retriedId);
    }
}
