package org.scimgate.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * A ruleset that passed its examples but throws for one input (a rule that forgot a null check,
 * say): the webhook must not answer 500 with nothing on file, for ever, to every retry. Like a rule
 * that does not finish, it refuses the user, records the refusal and keeps deciding for others.
 */
@SpringBootTest
@AutoConfigureMockMvc
class PolicyErrorTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        Path rules = Files.createTempDirectory("scimgate-boom-rules");
        try (Stream<Path> paths = Files.walk(Path.of("rules"))) {
            for (Path p : paths.toList()) {
                Path target = rules.resolve(Path.of("rules").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.createDirectories(rules.resolve("boom"));
        Files.writeString(rules.resolve("boom/boom.drl"), """
                package boom;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;

                function boolean hits(String s) {
                    if (s.startsWith("boom-")) {
                        throw new IllegalStateException("a rule with a bug");
                    }
                    return s.startsWith("hit-");
                }

                rule "Boom check"
                    @code("BOOM_CHECK") @severity("low") @mode("dryrun") @description("a rule that throws for some names")
                when
                    ScimUser( userName != null, hits(userName) )
                then
                    insert(new Violation("userName", "boom"));
                end
                """);
        Files.writeString(rules.resolve("boom/examples.yaml"), """
                "Boom check":
                  allowed:
                    - name: an ordinary user
                      user: {userName: jane@acme.com, emails: [{value: jane@acme.com, primary: true}],
                             department: Engineering, costCenter: CC-1234}
                  disallowed:
                    - name: a hit- name
                      user: {userName: hit-1@acme.com, emails: [{value: hit-1@acme.com, primary: true}],
                             department: Engineering, costCenter: CC-1234}
                      expect: [BOOM_CHECK]
                """);
        TestPostgres.newDatabase().register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.policy.rules-dir", rules::toString);
        registry.add("scimgate.policy.watch", () -> "false");
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> rules.resolveSibling(rules.getFileName() + "-siem.ndjson").toString());
    }

    private MvcResult deliver(String userName) throws Exception {
        return mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK)
                .header("x-genesys-webhook-id", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"eventType":"user.created","data":{"userName":"%s","emails":[{"value":"%s","primary":true}],
                         "department":"Engineering","costCenter":"CC-1234"}}""".formatted(userName, userName)))
                .andReturn();
    }

    @Test
    void refusesAndRecordsAUserThePolicyFailsOnAndKeepsDecidingForOthers() throws Exception {
        MvcResult failing = deliver("boom-1@acme.com");
        assertThat(failing.getResponse().getStatus()).isEqualTo(400);
        JsonNode answer = new ObjectMapper().readTree(failing.getResponse().getContentAsString());
        assertThat(answer.get("status").asText()).isEqualTo("REJECTED");
        assertThat(answer.at("/violations/0/code").asText()).isEqualTo("POLICY_EVALUATION_FAILED");
        assertThat(jdbc.queryForObject("SELECT outcome || ':' || (violations -> 0 ->> 'code') FROM decision_audit "
                + "WHERE decision_id = ?::uuid", String.class, answer.get("decisionId").asText()))
                .isEqualTo("REJECTED:POLICY_EVALUATION_FAILED");
        assertThat(deliver("jane.after@acme.com").getResponse().getStatus()).isEqualTo(200);
    }
}
