package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** The hash chain on its own database, so that tampering here cannot disturb other tests. */
@ActiveProfiles("test")
@SpringBootTest
@AutoConfigureMockMvc
@DirtiesContext
class AuditChainTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    AuditChain chain;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    private static TestPostgres.Database database;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        database = TestPostgres.newDatabase();
        database.register(registry);
        registry.add("scimgate.audit.sealing", () -> "false");
    }

    private List<String> decide(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String answer = mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK)
                            .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"eventType\":\"user.created\",\"data\":{\"userName\":\"chain" + i
                                    + "@acme.com\",\"emails\":[{\"value\":\"chain" + i + "@acme.com\",\"primary\":true}]}}"))
                    .andReturn().getResponse().getContentAsString();
            ids.add(json.readTree(answer).get("decisionId").asText());
        }
        return ids;
    }

    @Test
    void sealsEveryDecisionAndReportsEveryRowAnOwnerRewroteWithTriggersDisabled() throws Exception {
        List<String> ids = decide(5);
        assertThat(chain.seal(1000)).isEqualTo(5);
        assertThat(chain.seal(1000)).isZero();
        List<String> more = decide(3);
        assertThat(chain.seal(2)).isEqualTo(2);
        assertThat(chain.seal(1000)).isEqualTo(1);

        AuditChain.Verification intact = chain.verify();
        assertThat(intact.intact()).isTrue();
        assertThat(intact.checked()).isEqualTo(8);
        assertThat(intact.head().position()).isEqualTo(8);
        mvc.perform(get("/api/v1/audit/verify").header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isOk()).andExpect(jsonPath("$.intact").value(true));
        mvc.perform(get("/api/v1/audit/verify").header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isForbidden());

        // The table owner turns the triggers off and rewrites two decisions.
        String victim = ids.get(2);
        String second = more.get(1);
        JdbcTemplate owner = database.asOwner();
        owner.execute("ALTER TABLE decision_audit DISABLE TRIGGER USER");
        owner.update("UPDATE decision_audit SET user_name = 'someone-else@acme.com' WHERE decision_id = ?::uuid", victim);
        owner.update("UPDATE decision_audit SET outcome = 'REJECTED' WHERE decision_id = ?::uuid", second);
        owner.execute("ALTER TABLE decision_audit ENABLE TRIGGER USER");

        AuditChain.Verification broken = chain.verify();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.checked()).isEqualTo(8);
        assertThat(broken.breaks()).extracting(AuditChain.Break::position).containsExactly(3L, 7L);
        assertThat(broken.breaks()).extracting(b -> b.decisionId().toString()).containsExactly(victim, second);
        assertThat(broken.breaks()).extracting(AuditChain.Break::problem)
                .containsOnly("the decision was changed after it was sealed");
        mvc.perform(get("/api/v1/audit/verify").header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isConflict()).andExpect(jsonPath("$.intact").value(false))
                .andExpect(jsonPath("$.breakCount").value(2))
                .andExpect(jsonPath("$.breaks[0].position").value(3))
                .andExpect(jsonPath("$.breaks[1].position").value(7))
                .andExpect(jsonPath("$.breaks[1].decisionId").value(second))
                .andExpect(jsonPath("$.head.position").value(8));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(AuditCommand.verify(chain, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))).isEqualTo(1);
        assertThat(err.toString()).contains("BROKEN at position 3 (decision " + victim + "): the decision was changed")
                .contains("BROKEN at position 7 (decision " + second + "): the decision was changed")
                .contains("Audit chain BROKEN: 2 breaks");
    }

    @Test
    void theChainItselfIsAppendOnly() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> database.asOwner().execute("TRUNCATE audit_chain")))
                .rootCause().hasMessageContaining("audit_chain is append-only: TRUNCATE is not allowed");
    }
}
