package org.scimgate.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestCredentials;

/** What is acted on, once, and what never is; the mode, the cap and the operator's release. */
class RemediationTest extends RemediationTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRefusedWebhookUserWithAnIdIsDeactivatedOnceEvenWhenDeliveredTwice() throws Exception {
        String id = account("mallory@evil.com");
        String body = """
                , "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Engineering"}""";
        String first = created(id, "mallory@evil.com", "wh-twice-" + id, body);
        String second = created(id, "mallory@evil.com", "wh-twice-" + id, body);
        assertThat(JSON.readTree(first).path("status").asText()).isEqualTo("REJECTED");
        assertThat(second).isEqualTo(first);
        // The same body again without a delivery id is a decision of its own, while the first action is open.
        created(id, "mallory@evil.com", null, body);

        RemediationRelay relay = relay("twice", settings("on", 1_000_000, 12));
        relay.drain();
        relay.drain();

        assertThat(actions(id)).hasSize(1);
        Map<String, Object> action = action(id);
        assertThat(action).containsEntry("status", "DONE").containsEntry("attempts", 1).containsEntry("last_status", 200);
        assertThat((String) action.get("codes")).contains("SCIM_INVALID_EMAIL_DOMAIN");
        assertThat(genesys.patches(id)).hasSize(1);
        assertThat(JSON.readTree(genesys.patches(id).get(0).body()).path("Operations").path(0).toString())
                .isEqualTo("{\"op\":\"replace\",\"path\":\"active\",\"value\":false}");
        assertThat(genesys.patches(id).get(0).header("Authorization")).isEqualTo("Bearer remedy-token");
        assertThat(genesys.active(id)).isFalse();

        // On the decision, in the API and in the SIEM.
        UUID decision = (UUID) action.get("decision_id");
        mvc.perform(get("/api/v1/decisions/" + decision).header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.remediation.status").value("DONE"))
                .andExpect(jsonPath("$.remediation.attempts").value(1))
                .andExpect(jsonPath("$.remediation.lastStatus").value(200))
                .andExpect(jsonPath("$.remediation.action").value("deactivate"))
                .andExpect(jsonPath("$.remediation.settledAt").exists());
        assertThat(export.export()).isPositive();
        List<String> records = siemLines(decision);
        assertThat(records).hasSize(1);
        JsonNode record = JSON.readTree(records.get(0));
        assertThat(record.path("type").asText()).isEqualTo("remediation");
        assertThat(record.path("decisionId").asText()).isEqualTo(decision.toString());
        assertThat(record.path("detail").path("status").asText()).isEqualTo("DONE");
        assertThat(record.path("detail").path("userId").asText()).isEqualTo(id);
        assertThat(export.export()).as("an exported outcome is not sent again").isZero();
    }

    @Test
    void compliantWarnedAndUnremediedUsersAreNeverTouched() throws Exception {
        String compliant = account("jane@acme.com");
        String warned = account("contractor@acme.com");
        String unremedied = account("nobody");
        created(compliant, "jane@acme.com", null, "");
        String warning = created(warned, "contractor@acme.com", null,
                ", \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\": {\"division\": \"Contractors\"}");
        assertThat(JSON.readTree(warning).path("warnings").toString()).contains("POLICY_CONTRACTOR_REVIEW");
        assertThat(jdbc.queryForObject("SELECT outcome FROM decision_audit WHERE scim_user_id = ?", String.class, warned))
                .isEqualTo("ACCEPTED_WITH_WARNINGS");
        // Refused, but by rules without a remedy (a department not on the list); the remedy it also
        // carries is a warn-mode rule's, which is never acted on.
        String refusal = created(unremedied, "nobody@acme.com", null,
                ", \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\": "
                        + "{\"department\": \"Marketing\", \"division\": \"Contractors\"}");
        assertThat(JSON.readTree(refusal).path("status").asText()).isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("SELECT violations::text FROM decision_audit WHERE scim_user_id = ?", String.class,
                unremedied)).contains("POLICY_DEPARTMENT_DENIED", "POLICY_CONTRACTOR_REVIEW");
        assertThat(jdbc.queryForObject("SELECT violations::text FROM decision_audit WHERE scim_user_id = ?", String.class,
                warned)).contains("\"remedy\": \"deactivate\"").contains("\"mode\": \"warn\"");

        relay("untouched", settings("on", 1_000_000, 12)).drain();

        for (String id : List.of(compliant, warned, unremedied)) {
            assertThat(actions(id)).as(id).isEmpty();
            assertThat(genesys.patches(id)).as(id).isEmpty();
            assertThat(genesys.active(id)).isTrue();
        }
    }

    @Test
    void dryrunRecordsDryrunAndCallsNothing() throws Exception {
        String id = account("dry@evil.com");
        refused(id);
        int before = genesys.allPatches().size();

        relay("dry", settings("dryrun", 1_000_000, 12)).drain();

        assertThat(action(id)).containsEntry("status", "DRYRUN").containsEntry("attempts", 0);
        assertThat((String) action(id).get("last_answer")).contains("would PATCH /api/v2/scim/v2/users/" + id);
        assertThat(genesys.allPatches()).hasSize(before);
        assertThat(genesys.active(id)).isTrue();
        // Settled: turning the mode on later does not act on it.
        relay("after-dry", settings("on", 1_000_000, 12)).drain();
        assertThat(genesys.patches(id)).isEmpty();
    }

    @Test
    void pastTheCapActionsAreHeldUntilAnOperatorReleasesThem() throws Exception {
        long started = jdbc.queryForObject("SELECT count(*) FROM remediation_action "
                + "WHERE started_at > now() - interval '1 hour' AND released_at IS NULL", Long.class);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(account("many" + i + "@evil.com"));
            refused(ids.get(i));
        }
        RemediationRelay capped = relay("capped", settings("on", (int) started + 2, 12));
        capped.drain();
        capped.drain();

        List<String> statuses = ids.stream().map(id -> (String) action(id).get("status")).toList();
        assertThat(statuses).containsExactly("DONE", "DONE", "HELD", "HELD", "HELD");
        assertThat(ids.stream().mapToLong(id -> genesys.patches(id).size()).sum()).isEqualTo(2);
        assertThat((String) action(ids.get(2)).get("last_answer")).contains("the cap is " + (started + 2));
        mvc.perform(get("/api/v1/remediations").param("status", "HELD").header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isOk()).andExpect(jsonPath("$.held").value(3));

        UUID held = (UUID) action(ids.get(2)).get("id");
        mvc.perform(post("/api/v1/remediations/" + held + "/release").header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isForbidden());
        for (String id : ids.subList(2, 5)) {
            mvc.perform(post("/api/v1/remediations/" + action(id).get("id") + "/release")
                    .header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isOk());
        }
        mvc.perform(post("/api/v1/remediations/" + held + "/release").header("Authorization", TestCredentials.OPERATOR))
                .andExpect(status().isConflict());
        capped.drain();

        assertThat(ids).allSatisfy(id -> {
            assertThat(action(id)).containsEntry("status", "DONE");
            assertThat(genesys.patches(id)).hasSize(1);
        });
    }

    @Test
    void anOperatorCancelsAHeldActionAndItIsNeverDone() throws Exception {
        long started = jdbc.queryForObject("SELECT count(*) FROM remediation_action "
                + "WHERE started_at > now() - interval '1 hour' AND released_at IS NULL", Long.class);
        String id = account("cancel@evil.com");
        refused(id);
        relay("cap-zero", settings("on", (int) started, 12)).drain();
        assertThat(action(id)).containsEntry("status", "HELD");

        mvc.perform(post("/api/v1/remediations/" + action(id).get("id") + "/cancel")
                .header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isOk());
        relay("after-cancel", settings("on", 1_000_000, 12)).drain();

        assertThat(action(id)).containsEntry("status", "CANCELLED");
        assertThat(genesys.patches(id)).isEmpty();
    }
}
