package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/** The inline gateway against a stub Genesys SCIM API on loopback that records what reaches it. */
class ScimGatewayTest extends GatewayServiceTest {

    private static final String IDP_TOKEN = StubGenesys.IDP_TOKEN;
    private static final String GENESYS_TOKEN = StubGenesys.ACCESS_TOKEN;
    private static final AtomicBoolean DOWN = new AtomicBoolean();
    /** Genesys' user changed after scimgate read it: a write with the old version is refused. */
    private static final AtomicBoolean CHANGED = new AtomicBoolean();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STORED_USER = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u-1","userName":"jane.doe@acme.com",
             "emails":[{"value":"jane.doe@acme.com","type":"work","primary":true}],"active":true,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"},
             "meta":{"version":"W/\\"7\\""}}""";

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @BeforeEach
    void genesysAnswers() {
        DOWN.set(false);
        CHANGED.set(false);
        GENESYS.respond(request -> {
            if (DOWN.get()) {
                throw new LoopbackServer.Unreachable();
            }
            if (request.path().equals("/oauth/token")) {
                return Response.of(200, "{\"access_token\":\"" + GENESYS_TOKEN + "\",\"expires_in\":86400}");
            }
            if (request.method().equals("POST")) {
                return new Response(201, request.body().replaceFirst("\\{", "{\"id\":\"u-new\","),
                        Map.of("Location", "https://api.example/api/v2/scim/v2/users/u-new", "ETag", "W/\"1\""));
            }
            if (request.method().equals("GET") && request.path().startsWith("/api/v2/scim/v2/users/u-html")) {
                return new Response(200, "<html>Service temporarily degraded</html>", Map.of("Content-Type", "text/html"));
            }
            if (request.method().equals("GET") && request.path().startsWith("/api/v2/scim/v2/users/u-1")) {
                return new Response(200, STORED_USER, Map.of("ETag", "W/\"7\""));
            }
            if (request.method().equals("GET")) {
                return Response.of(200, "{\"Resources\":[],\"totalResults\":0}");
            }
            if (request.method().equals("PUT") && CHANGED.get()) {
                return Response.of(412, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"status\":\"412\"}");
            }
            if (request.method().equals("PATCH") && "W/\"6\"".equals(request.header("If-Match"))) {
                return Response.of(400, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"status\":\"400\",\"scimType\":\"invalidVers\"}");
            }
            return new Response(200, STORED_USER, Map.of("ETag", "W/\"8\""));
        });
    }

    private List<LoopbackServer.Request> writesReachingGenesys() {
        return GENESYS.requests().stream().filter(r -> !r.path().equals("/oauth/token") && !r.method().equals("GET")).toList();
    }

    private static final String OKTA_CREATE = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
             "name":{"givenName":"Jane","familyName":"Doe"},"emails":[{"primary":true,"value":"%s","type":"work"}],
             "displayName":"Jane Doe","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true}""";

    @Test
    void forwardsACompliantCreateOnceAndRelaysGenesysAnswer() throws Exception {
        int before = writesReachingGenesys().size();
        String body = OKTA_CREATE.formatted("jane.create@acme.com", "jane.create@acme.com");
        mvc.perform(post("/scim/v2/Users").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/scim+json").content(body))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "https://api.example/api/v2/scim/v2/users/u-new"))
                .andExpect(header().string("ETag", "W/\"1\""))
                .andExpect(jsonPath("$.id").value("u-new"));
        List<LoopbackServer.Request> writes = writesReachingGenesys();
        assertThat(writes).hasSize(before + 1);
        LoopbackServer.Request forwarded = writes.get(writes.size() - 1);
        assertThat(forwarded.path()).isEqualTo("/api/v2/scim/v2/users");
        assertThat(JSON.readTree(forwarded.body())).isEqualTo(JSON.readTree(body));
        assertThat(forwarded.header("Authorization")).isEqualTo("Bearer " + GENESYS_TOKEN);
        assertThat(GENESYS.requests()).allSatisfy(r -> assertThat(String.valueOf(r.headers())).doesNotContain(IDP_TOKEN));
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT outcome, operation, upstream_status, payload::text AS payload FROM decision_audit "
                        + "WHERE source = 'gateway' AND user_name = 'jane.create@acme.com' ORDER BY seq");
        assertThat(rows).extracting(r -> r.get("outcome")).containsSubsequence("ACCEPTED", "FORWARDED");
        assertThat(rows.get(rows.size() - 1)).containsEntry("upstream_status", 201).containsEntry("operation", "POST /Users");
        assertThat(rows).allSatisfy(r -> assertThat(String.valueOf(r.get("payload"))).doesNotContain("1mz050nq"));
    }

    @Test
    void neverForwardsANonCompliantCreateAndAnswersAnRfc7644Error() throws Exception {
        int before = writesReachingGenesys().size();
        mvc.perform(post("/scim/v2/Users").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/scim+json")
                        .content(OKTA_CREATE.formatted("mallory.gateway@evil.com", "mallory.gateway@evil.com")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/scim+json"))
                .andExpect(jsonPath("$.schemas[0]").value("urn:ietf:params:scim:api:messages:2.0:Error"))
                .andExpect(jsonPath("$.status").value("400"))
                .andExpect(jsonPath("$.scimType").value("invalidValue"))
                .andExpect(jsonPath("$.detail").value("Refused by the provisioning policy: emails[0].value: "
                        + "Email domain evil.com is not provisioned. (SCIM_INVALID_EMAIL_DOMAIN); userName: "
                        + "Login domain evil.com is not provisioned. (SCIM_INVALID_LOGIN_DOMAIN)"));
        assertThat(writesReachingGenesys()).hasSize(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE source = 'gateway' "
                + "AND user_name = 'mallory.gateway@evil.com' AND outcome = 'REJECTED'", Long.class)).isOne();
    }

    @Test
    void judgesAPatchOnTheUserAsItWouldBeAfterwards() throws Exception {
        int before = writesReachingGenesys().size();
        // Entra capitalises op and sends booleans as strings.
        String entraPatch = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                  {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"jane@evil.com"},
                  {"op":"Replace","path":"active","value":"False"}]}""";
        mvc.perform(patch("/scim/v2/Users/u-1").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/scim+json").content(entraPatch))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("SCIM_INVALID_EMAIL_DOMAIN")));
        assertThat(writesReachingGenesys()).hasSize(before);

        String goodPatch = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                  {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Finance"}]}""";
        mvc.perform(patch("/scim/v2/Users/u-1").header("Authorization", "Bearer " + IDP_TOKEN).header("If-Match", "W/\"7\"")
                        .contentType("application/scim+json").content(goodPatch))
                .andExpect(status().isOk()).andExpect(header().string("ETag", "W/\"8\""));
        LoopbackServer.Request forwarded = writesReachingGenesys().get(writesReachingGenesys().size() - 1);
        // Genesys gets the user judged, as the PUT of the version the PATCH was applied to.
        assertThat(forwarded.method()).isEqualTo("PUT");
        assertThat(forwarded.path()).isEqualTo("/api/v2/scim/v2/users/u-1");
        assertThat(forwarded.header("If-Match")).isEqualTo("W/\"7\"");
        assertThat(JSON.readTree(forwarded.body()).at("/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/department")
                .asText()).isEqualTo("Finance");

        String badDepartment = goodPatch.replace("Finance", "Marketing");
        mvc.perform(patch("/scim/v2/Users/u-1").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/scim+json").content(badDepartment))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("POLICY_DEPARTMENT_DENIED")));
    }

    @Test
    void refusesAPatchWhoseIfMatchIsNotTheVersionGenesysHoldsWithoutForwardingIt() throws Exception {
        int before = writesReachingGenesys().size();
        mvc.perform(patch("/scim/v2/Users/u-1").header("Authorization", "Bearer " + IDP_TOKEN).header("If-Match", "W/\"6\"")
                        .contentType("application/scim+json").content("""
                                {"Operations":[{"op":"replace","value":{"displayName":"Jane D."}}]}"""))
                .andExpect(status().isPreconditionFailed()).andExpect(jsonPath("$.status").value("412"));
        assertThat(writesReachingGenesys()).hasSize(before);
        // The caller's version is stale: not a malformed request, and said so in the audit.
        assertThat(jdbc.queryForObject("SELECT outcome FROM decision_audit WHERE operation = 'PATCH /Users/u-1' "
                + "AND http_status = 412 ORDER BY seq DESC LIMIT 1", String.class)).isEqualTo("PRECONDITION_FAILED");
    }

    @Test
    void recordsGenesysAnsweringSomethingThatIsNotJsonAsAnUpstreamErrorNotAsTheCallersMistake() throws Exception {
        int before = writesReachingGenesys().size();
        mvc.perform(patch("/scim/v2/Users/u-html").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/scim+json").content("""
                                {"Operations":[{"op":"replace","path":"displayName","value":"Jane D."}]}"""))
                .andExpect(status().isBadGateway()).andExpect(jsonPath("$.status").value("502"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("not a JSON object")));
        assertThat(writesReachingGenesys()).hasSize(before);
        assertThat(jdbc.queryForList("SELECT outcome FROM decision_audit WHERE operation = 'PATCH /Users/u-html'",
                String.class)).containsExactly("UPSTREAM_ERROR");
        mvc.perform(get("/api/v1/decisions").param("outcome", "UPSTREAM_ERROR")
                        .header("Authorization", org.scimgate.support.TestCredentials.ANALYST))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].outcome").value("UPSTREAM_ERROR"));
    }

    @Test
    void countsGatewayDecisionsInTheDecisionMetricUnderSourceGateway() throws Exception {
        double rejected = decisions("REJECTED");
        double forwarded = decisions("FORWARDED");
        mvc.perform(post("/scim/v2/Users").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/scim+json")
                        .content(OKTA_CREATE.formatted("metric@evil.com", "metric@evil.com")))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/scim/v2/Users").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/scim+json")
                        .content(OKTA_CREATE.formatted("metric@acme.com", "metric@acme.com")))
                .andExpect(status().isCreated());
        assertThat(decisions("REJECTED")).isEqualTo(rejected + 1);
        assertThat(decisions("FORWARDED")).isEqualTo(forwarded + 1);
        assertThat(meters.find("scimgate.rule.matches").tag("code", "SCIM_INVALID_EMAIL_DOMAIN").counter())
                .as("gateway evaluations count their rule matches too").isNotNull();
    }

    private double decisions(String outcome) {
        io.micrometer.core.instrument.Counter counter = meters.find("scimgate.decisions")
                .tags("outcome", outcome, "source", "gateway").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aUserChangedInGenesysDuringAPatchIsAnswered412AndNothingElseIsSent() throws Exception {
        CHANGED.set(true);
        int before = writesReachingGenesys().size();
        mvc.perform(patch("/scim/v2/Users/u-1").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/scim+json").content("""
                                {"Operations":[{"op":"replace","path":"displayName","value":"Jane D."}]}"""))
                .andExpect(status().isPreconditionFailed()).andExpect(jsonPath("$.status").value("412"))
                .andExpect(content().contentTypeCompatibleWith("application/scim+json"));
        List<LoopbackServer.Request> writes = writesReachingGenesys();
        assertThat(writes).hasSize(before + 1);
        assertThat(writes.get(writes.size() - 1).header("If-Match")).isEqualTo("W/\"7\"");
        assertThat(jdbc.queryForObject("SELECT upstream_status FROM decision_audit WHERE operation = 'PATCH /Users/u-1' "
                + "AND outcome = 'FORWARDED' ORDER BY seq DESC LIMIT 1", Integer.class)).isEqualTo(412);
    }

    @Test
    void genesysDownGives503WithRetryAfterAndAnAuditRow() throws Exception {
        DOWN.set(true);
        mvc.perform(put("/scim/v2/Users/u-2").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/scim+json").content(OKTA_CREATE.formatted("down@acme.com", "down@acme.com")))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "30"))
                .andExpect(jsonPath("$.status").value("503"));
        assertThat(jdbc.queryForList("SELECT outcome FROM decision_audit WHERE source = 'gateway' AND operation = 'PUT /Users/u-2'",
                String.class)).contains("UNAVAILABLE").doesNotContain("FORWARDED");
    }

    @Test
    void refusesTheWrongTokenAndPassesReadsThroughWithPagesClamped() throws Exception {
        mvc.perform(get("/scim/v2/Users").header("Authorization", "Bearer wrong"))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.status").value("401"));
        mvc.perform(get("/scim/v2/Users").header("Authorization", "Bearer " + IDP_TOKEN)
                        .param("filter", "userName eq \"jane.doe@acme.com\"").param("startIndex", "1").param("count", "100"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.totalResults").value(0));
        LoopbackServer.Request list = GENESYS.requests("/api/v2/scim/v2/users?").get(GENESYS.requests("/api/v2/scim/v2/users?").size() - 1);
        assertThat(list.path()).contains("filter=userName").contains("count=25").doesNotContain("count=100");
        mvc.perform(get("/scim/v2/ServiceProviderConfig").header("Authorization", "Bearer " + IDP_TOKEN))
                .andExpect(status().isOk());
        assertThat(GENESYS.requests("/api/v2/scim/v2/serviceproviderconfig")).isNotEmpty();
        mvc.perform(delete("/scim/v2/Users/u-9").header("Authorization", "Bearer " + IDP_TOKEN)).andExpect(status().isOk());
        assertThat(jdbc.queryForList("SELECT outcome || ':' || coalesce(upstream_status::text, '-') FROM decision_audit "
                + "WHERE operation = 'DELETE /Users/u-9' ORDER BY seq", String.class))
                .as("on file before it was forwarded, then Genesys' answer").containsExactly("ACCEPTED:-", "FORWARDED:200");
    }

    @Test
    void forwardsNoDeletionWhoseDecisionCannotBeRecorded() throws Exception {
        GENESYS.owner().execute("ALTER TABLE decision_audit ADD CONSTRAINT refuse_this_deletion "
                + "CHECK (operation IS DISTINCT FROM 'DELETE /Users/u-kept') NOT VALID");
        try {
            // The database refuses every row of this operation, the refusal's own row too: 503, nothing on file.
            mvc.perform(delete("/scim/v2/Users/u-kept").header("Authorization", "Bearer " + IDP_TOKEN))
                    .andExpect(status().isServiceUnavailable());
        } finally {
            GENESYS.owner().execute("ALTER TABLE decision_audit DROP CONSTRAINT refuse_this_deletion");
        }
        assertThat(GENESYS.requests("/api/v2/scim/v2/users/u-kept")).as("nothing reached Genesys").isEmpty();
    }

    @Test
    void normalisesOneLoginsEmailObject() throws Exception {
        String oneLogin = """
                {"schemas":["urn:scim:schemas:core:1.0"],"userName":"ol@acme.com",
                 "emails":{"value":"ol@acme.com","primary":true}}""";
        mvc.perform(post("/scim/v2/Users").header("Authorization", "Bearer " + IDP_TOKEN)
                        .contentType("application/json").content(oneLogin))
                .andExpect(status().isCreated());
        JsonNode forwarded = JSON.readTree(writesReachingGenesys().get(writesReachingGenesys().size() - 1).body());
        assertThat(forwarded.get("emails").isArray()).isTrue();
        assertThat(forwarded.at("/emails/0/value").asText()).isEqualTo("ol@acme.com");
    }
}
