package org.scimgate.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scimgate.support.CliRun;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;

/**
 * {@code genesys scan} reports segregation-of-duties conflicts that already exist: a user in both
 * groups of the shipped pair, whether Genesys lists the groups with their names or by id only
 * (named then from the org's groups, read page by page), and not a user in one of them.
 */
class SodScanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USERS = """
            {"totalResults":3,"startIndex":1,"itemsPerPage":3,"Resources":[
             {"id":"u-both","userName":"both@acme.com","emails":[{"value":"both@acme.com","type":"work","primary":true}],
              "department":"Finance","groups":[{"value":"g-pay","display":"Finance Payables"},
                                               {"value":"g-app","display":"Finance Approvers"}]},
             {"id":"u-ids","userName":"ids@acme.com","emails":[{"value":"ids@acme.com","type":"work","primary":true}],
              "department":"Finance","groups":[{"value":"g-pay"},{"value":"g-app"}]},
             {"id":"u-one","userName":"one@acme.com","emails":[{"value":"one@acme.com","type":"work","primary":true}],
              "department":"Finance","groups":[{"value":"g-pay","display":"Finance Payables"},
                                               {"value":"g-sup","display":"Support"}]}]}""";
    private static final String GROUPS = """
            {"totalResults":3,"startIndex":1,"itemsPerPage":3,"Resources":[
             {"id":"g-pay","displayName":"Finance Payables"},{"id":"g-app","displayName":"Finance Approvers"},
             {"id":"g-sup","displayName":"Support"}]}""";

    @Test
    void reportsAConflictThatAlreadyExists() throws Exception {
        try (LoopbackServer genesys = new LoopbackServer()) {
            genesys.respond(request -> {
                if (request.path().startsWith("/oauth/token")) {
                    return Response.of(200, "{\"access_token\":\"scan-token\",\"expires_in\":86400}");
                }
                if (request.path().startsWith("/api/v2/scim/v2/users?")) {
                    return Response.of(200, USERS);
                }
                if (request.path().startsWith("/api/v2/scim/v2/groups?")) {
                    return Response.of(200, GROUPS);
                }
                return Response.of(404, "{}");
            });
            CliRun scan = CliRun.of(Map.of("GENESYS_CLIENT_ID", "scan-client", "GENESYS_CLIENT_SECRET", "scan-secret",
                    "GENESYS_API_BASE_URL", genesys.uri().toString(), "GENESYS_LOGIN_BASE_URL",
                    genesys.uri().toString(), "SCIMGATE_POLICY_EVALUATION_TIMEOUT", "30s"), "genesys", "scan", "--rules", "rules", "--format", "json");

            assertThat(scan.exit()).as(scan.err()).isZero();
            JsonNode report = JSON.readTree(scan.out());
            assertThat(report.path("scanned").asLong()).isEqualTo(3);
            assertThat(report.path("users").findValuesAsText("id")).containsExactlyInAnyOrder("u-both", "u-ids");
            for (JsonNode user : report.path("users")) {
                assertThat(user.path("outcome").asText()).isEqualTo("REJECTED");
                assertThat(user.path("violations")).as("one finding per conflicting pair").singleElement()
                        .satisfies(v -> {
                            assertThat(v.path("code").asText()).isEqualTo("ACCESS_SOD_CONFLICT");
                            assertThat(v.path("message").asText()).contains("Finance Payables")
                                    .contains("Finance Approvers");
                        });
            }
            assertThat(genesys.requests("/api/v2/scim/v2/groups")).as("the org's groups are read once")
                    .hasSize(1);
        }
    }
}
