package org.scimgate.audit;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * {@code /api/v1/decisions} as a web slice: the controller and the real {@link DecisionQuery} on
 * PostgreSQL (migrated by Flyway as the owner, read as the application role), and nothing else of
 * the service: no rules, no webhook, no sealing. Who may call it is the security filters' concern,
 * left out here and tested with the whole chain in {@code security/AccessControlTest}.
 */
// The console's and the SCIM gateway's controller advice (their models and error pages) are not this API's: left out.
@WebMvcTest(controllers = DecisionController.class, excludeFilters = @org.springframework.context.annotation.ComponentScan.Filter(
        type = org.springframework.context.annotation.FilterType.REGEX, pattern = "org\\.scimgate\\.(console|gateway)\\..*"))
@AutoConfigureMockMvc(addFilters = false)
@Import(DecisionQuery.class)
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, FlywayAutoConfiguration.class})
class DecisionApiSliceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestPostgres.Database database;

    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        database = TestPostgres.newDatabase();
        database.register(registry);
    }

    /** Decisions of one user on file, oldest first, with the outcomes given. */
    private static List<String> onFile(String user, String... outcomes) {
        List<String> ids = new ArrayList<>();
        for (String outcome : outcomes) {
            String id = UUID.randomUUID().toString();
            database.asOwner().update("""
                    INSERT INTO decision_audit (decision_id, received_at, source, idempotency_key, user_name, outcome,
                        http_status, response_body)
                    VALUES (?::uuid, clock_timestamp(), 'webhook', ?, ?, ?, ?, '{}')""",
                    id, "delivery:" + id, user, outcome, outcome.equals("REJECTED") ? 400 : 200);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void pagesOneUsersDecisionsNewestFirstWithACursor() throws Exception {
        String user = "slice-" + UUID.randomUUID() + "@acme.com";
        List<String> ids = onFile(user, "REJECTED", "ACCEPTED", "REJECTED", "REJECTED");

        MvcResult first = mvc.perform(get("/api/v1/decisions").param("userName", user).param("outcome", "REJECTED")
                        .param("limit", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(2))
                .andExpect(jsonPath("$.items[0].decisionId").value(ids.get(3)))
                .andExpect(jsonPath("$.items[1].decisionId").value(ids.get(2)))
                .andExpect(jsonPath("$.nextCursor").isString())
                .andReturn();
        String cursor = JSON.readTree(first.getResponse().getContentAsString()).get("nextCursor").asText();
        mvc.perform(get("/api/v1/decisions").param("userName", user).param("outcome", "REJECTED").param("limit", "2")
                        .param("cursor", cursor))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].decisionId").value(ids.get(0)))
                .andExpect(jsonPath("$.nextCursor").doesNotExist());
        mvc.perform(get("/api/v1/decisions/" + ids.get(1)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value("ACCEPTED"))
                .andExpect(jsonPath("$.userName").value(user));
    }

    @Test
    void answers404ForADecisionNotOnFile() throws Exception {
        mvc.perform(get("/api/v1/decisions/" + UUID.randomUUID())).andExpect(status().isNotFound());
    }

    @Test
    void refusesAnUnknownOutcomeALimitOutOfBoundsAndABadTimeWithAProblem() throws Exception {
        mvc.perform(get("/api/v1/decisions").param("outcome", "MAYBE"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("outcome must be one of")));
        for (String limit : List.of("0", "501")) {
            mvc.perform(get("/api/v1/decisions").param("limit", limit))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.detail").value("limit must be between 1 and 500"));
        }
        mvc.perform(get("/api/v1/decisions").param("limit", "500")).andExpect(status().isOk());
        mvc.perform(get("/api/v1/decisions").param("from", "yesterday")).andExpect(status().isBadRequest());
    }
}
