package org.scimgate.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestRules;
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
 * A ruleset that passed its examples but loops for one input and throws for another: the webhook
 * must neither hang, answer 500, nor let that user through unjudged. It refuses, records the
 * refusal and keeps deciding for others.
 */
@SpringBootTest
@AutoConfigureMockMvc
class PolicyCannotJudgeTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        Path rules = TestRules.copyOfShippedRules("scimgate-spin-rules");
        Files.createDirectories(rules.resolve("spin"));
        Files.writeString(rules.resolve("spin/spin.drl"), """
                package spin;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;

                function boolean spins(String s) {
                    if (s.startsWith("boom-")) {
                        throw new IllegalStateException("a rule with a bug");
                    }
                    // Runs past the time limit for one kind of name, in library code the operator
                    // allowed (rules cannot loop), as one long firing would.
                    org.scimgate.support.SlowRules.runsLongIf(s, "slow-", 15000);
                    return s.startsWith("spin-");
                }

                rule "Spin check"
                    @code("SPIN_CHECK") @severity("low") @mode("dryrun") @description("a rule that loops or throws for some names")
                when
                    ScimUser( userName != null, spins(userName) )
                then
                    insert(new Violation("userName", "spin"));
                end
                """);
        Files.writeString(rules.resolve("spin/examples.yaml"), """
                "Spin check":
                  allowed:
                    - name: an ordinary user
                      user: {userName: jane@acme.com, emails: [{value: jane@acme.com, primary: true}],
                             department: Engineering, costCenter: CC-1234}
                  disallowed:
                    - name: a spin- name
                      user: {userName: spin-1@acme.com, emails: [{value: spin-1@acme.com, primary: true}],
                             department: Engineering, costCenter: CC-1234}
                      expect: [SPIN_CHECK]
                """);
        TestPostgres.newDatabase().register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.policy.rules-dir", rules::toString);
        registry.add("scimgate.policy.allowed-types", () -> org.scimgate.support.SlowRules.ALLOW);
        registry.add("scimgate.policy.watch", () -> "false");
        // As the test profile: a cold first evaluation takes seconds on a loaded machine.
        registry.add("scimgate.policy.evaluation-timeout", () -> "10s");
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
    @Timeout(60) // a guard against a hang, not a speed target
    void refusesAndRecordsAUserThePolicyCannotJudgeInTimeAndKeepsDecidingForOthers() throws Exception {
        MvcResult slow = deliver("slow-1@acme.com");
        JsonNode answer = new ObjectMapper().readTree(slow.getResponse().getContentAsString());

        assertThat(slow.getResponse().getStatus()).isEqualTo(400);
        assertThat(answer.get("status").asText()).isEqualTo("REJECTED");
        assertThat(answer.at("/violations/0/code").asText()).isEqualTo("POLICY_EVALUATION_TIMEOUT");
        assertThat(jdbc.queryForObject("SELECT outcome || ':' || (violations -> 0 ->> 'code') FROM decision_audit "
                + "WHERE decision_id = ?::uuid", String.class, answer.get("decisionId").asText()))
                .isEqualTo("REJECTED:POLICY_EVALUATION_TIMEOUT");
        assertThat(deliver("jane.after@acme.com").getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void refusesAndRecordsAUserThePolicyFailsOnAndKeepsDecidingForOthers() throws Exception {
        MvcResult failing = deliver("boom-1@acme.com");
        JsonNode answer = new ObjectMapper().readTree(failing.getResponse().getContentAsString());

        assertThat(failing.getResponse().getStatus()).isEqualTo(400);
        assertThat(answer.get("status").asText()).isEqualTo("REJECTED");
        assertThat(answer.at("/violations/0/code").asText()).isEqualTo("POLICY_EVALUATION_FAILED");
        assertThat(jdbc.queryForObject("SELECT outcome || ':' || (violations -> 0 ->> 'code') FROM decision_audit "
                + "WHERE decision_id = ?::uuid", String.class, answer.get("decisionId").asText()))
                .isEqualTo("REJECTED:POLICY_EVALUATION_FAILED");
        assertThat(deliver("jane.after.boom@acme.com").getResponse().getStatus()).isEqualTo(200);
    }
}
