package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.scimgate.siem.OutboxRelays;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A full run, from start-up through accepted, rejected, malformed and refused calls, a relay run
 * and a Genesys client that cannot connect, with everything it logs captured: no secret and no
 * personal data may appear in it.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(properties = "logging.level.org.scimgate=DEBUG")
@AutoConfigureMockMvc
@DirtiesContext
class LogHygieneTest {

    private static final String WEBHOOK_TOKEN = "wh-tok-7f3a9c1e55";
    private static final String OPERATOR_KEY = "op-key-91bd02aa77";
    private static final String ANALYST_KEY = "an-key-3c5e8f0d11";
    private static final String GENESYS_SECRET = "gen-sec-a8d2f41c90";
    private static final String SIEM_TOKEN = "hec-tok-55e1b7c3d2";
    private static final String PASSWORD = "Pa55-word-e3b0c442";
    private static final String GUESSED_TOKEN = "guess-tok-0b9d7e4a";
    private static final String EMAIL_LOCAL = "jane.private.person";

    @Autowired
    MockMvc mvc;
    @Autowired
    OutboxRelays relay;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.Database database = TestPostgres.newDatabase();
        database.register(registry);
        registry.add("scimgate.security.webhook-token", () -> WEBHOOK_TOKEN);
        registry.add("scimgate.security.operator-key", () -> OPERATOR_KEY);
        registry.add("scimgate.security.analyst-key", () -> ANALYST_KEY);
        registry.add("scimgate.genesys.client-id", () -> "client-id");
        registry.add("scimgate.genesys.client-secret", () -> GENESYS_SECRET);
        registry.add("scimgate.genesys.api-base-url", () -> "http://127.0.0.1:9");
        registry.add("scimgate.genesys.login-base-url", () -> "http://127.0.0.1:9");
        registry.add("scimgate.genesys.indexing-delay", () -> "0s");
        registry.add("scimgate.genesys.max-wait", () -> "0s");
        registry.add("scimgate.siem.endpoint", () -> "http://127.0.0.1:9/services/collector/event");
        registry.add("scimgate.siem.format", () -> "splunk-hec");
        registry.add("scimgate.siem.token", () -> SIEM_TOKEN);
        registry.add("scimgate.siem.relay-enabled", () -> "false");
    }

    @Test
    void logsNeitherSecretsNorPersonalData(CapturedOutput output) throws Exception {
        String email = EMAIL_LOCAL + "@acme.com";
        String[] bodies = {
                "{\"eventType\":\"user.created\",\"data\":{\"userName\":\"" + email + "\",\"password\":\"" + PASSWORD
                        + "\",\"emails\":[{\"value\":\"" + email + "\",\"primary\":true}]}}",
                "{\"eventType\":\"user.created\",\"data\":{\"userName\":\"" + email + "\",\"password\":\"" + PASSWORD
                        + "\",\"emails\":[{\"value\":\"" + EMAIL_LOCAL + "@evil.com\",\"primary\":true}]}}",
                "{\"eventType\":\"user.created\",\"data\":{\"userName\":7,\"password\":\"" + PASSWORD + "\"}}",
                "{\"eventType\":\"user.created\",\"data\":{\"userName\":\"" + email + "\"",
        };
        for (String body : bodies) {
            mvc.perform(post("/webhook/scim-validation").contentType(MediaType.APPLICATION_JSON)
                    .header("Authorization", "Bearer " + WEBHOOK_TOKEN)
                    .header("x-genesys-webhook-id", UUID.randomUUID().toString()).content(body));
        }
        mvc.perform(post("/webhook/scim-validation").contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer " + GUESSED_TOKEN).content(bodies[0]));
        mvc.perform(get("/api/v1/decisions").header("Authorization", "Bearer " + GUESSED_TOKEN));
        mvc.perform(get("/api/v1/decisions").header("Authorization", "Bearer " + ANALYST_KEY));
        mvc.perform(post("/api/v1/policy/evaluate").header("Authorization", "Bearer " + OPERATOR_KEY)
                .contentType(MediaType.APPLICATION_JSON).content(bodies[0]));
        relay.drain(); // Genesys and the SIEM are unreachable: errors are logged, secrets must not be

        String logs = output.getAll();
        assertThat(logs).contains("Decision").contains("could not deliver");
        for (String secret : new String[] {WEBHOOK_TOKEN, OPERATOR_KEY, ANALYST_KEY, GENESYS_SECRET, SIEM_TOKEN,
                PASSWORD, GUESSED_TOKEN, EMAIL_LOCAL}) {
            assertThat(logs).as("the logs must not contain %s", secret).doesNotContain(secret);
        }
    }
}
