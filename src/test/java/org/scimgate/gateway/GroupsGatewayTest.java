package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /scim/v2/Groups} over real HTTP to a stand-in Genesys: Okta's and Entra's group requests
 * pass through; with the shipped pair a user in Finance Payables is refused Finance Approvers
 * whatever the request's shape, with nothing sent, a 400 naming both groups and the decision on
 * file, in the decisions API and in the SIEM outbox; removals pass; a Genesys that fails or stalls
 * while the memberships are read gives a recorded refusal, never a forward and never a 5xx.
 */
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GroupsGatewayTest {

    private static final GroupsGenesys GENESYS = new GroupsGenesys();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATCH_OP = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[%s]}";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GENESYS.register(registry);
    }

    @AfterAll
    static void stop() {
        GENESYS.close();
    }

    @Test
    void oktasGroupPushPassesThrough() throws Exception {
        // Okta creates the group empty, then looks it up by name.
        HttpResponse<String> created = GENESYS.send(port, "POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Finance Approvers","members":[]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(GENESYS.writes().get(GENESYS.writes().size() - 1).path()).isEqualTo("/api/v2/scim/v2/groups");

        HttpResponse<String> found = GENESYS.send(port, "GET", "/Groups?filter=" + encode("displayName eq \"Finance Approvers\"")
                + "&startIndex=1&count=100", "");
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(found.body()).at("/Resources/0/id").asText()).isEqualTo("g-app");
        assertThat(GENESYS.reads("/groups?").get(GENESYS.reads("/groups?").size() - 1).path())
                .contains("filter=displayName%20eq%20%22Finance%20Approvers%22").contains("count=25");

        // Each membership update: the no-path replace (the name) and an add.
        int before = GENESYS.writes().size();
        HttpResponse<String> added = GENESYS.send(port, "PATCH", "/Groups/g-app", PATCH_OP.formatted("""
                {"op":"replace","value":{"id":"g-app","displayName":"Finance Approvers"}},
                {"op":"add","path":"members","value":[{"value":"u-new","display":"u-new@acme.com"}]}"""));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(204);
        LoopbackServer.Request patch = GENESYS.writes().get(before);
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.path()).isEqualTo("/api/v2/scim/v2/groups/g-app");
        assertThat(patch.header("If-Match")).as("conditional on the group judged").isEqualTo("W/\"3\"");
        assertThat(JSON.readTree(patch.body()).at("/Operations/1/value/0/value").asText()).isEqualTo("u-new");

        // A removal, Okta's way.
        HttpResponse<String> removed = GENESYS.send(port, "PATCH", "/Groups/g-pay", PATCH_OP.formatted("""
                {"op":"replace","value":{"id":"g-pay","displayName":"Finance Payables"}},
                {"op":"remove","path":"members[value eq \\"u-pay\\"]"}"""));
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);

        // A custom app's PUT of the whole group.
        HttpResponse<String> replaced = GENESYS.send(port, "PUT", "/Groups/g-sup", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g-sup","displayName":"Support",
                 "members":[{"value":"u-sup"},{"value":"u-new"}]}""");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(GENESYS.writes()).hasSize(before + 3);
        assertThat(outcomes("PATCH /Groups/g-app")).endsWith("ACCEPTED", "FORWARDED");
    }

    @Test
    void entrasGroupPatchPassesThroughAndIsAnswered204() throws Exception {
        int before = GENESYS.writes().size();
        HttpResponse<String> added = GENESYS.send(port, "PATCH", "/Groups/g-sup", PATCH_OP.formatted("""
                {"op":"Add","path":"members","value":[{"$ref":null,"value":"u-new"}]}"""));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(204);
        assertThat(added.body()).isEmpty();
        JsonNode sent = JSON.readTree(GENESYS.writes().get(before).body());
        assertThat(sent.at("/Operations/0/op").asText()).isEqualTo("add");
        assertThat(sent.at("/Operations/0/value/0").has("$ref")).as("no null $ref sent on").isFalse();

        HttpResponse<String> removed = GENESYS.send(port, "PATCH", "/Groups/g-pay", PATCH_OP.formatted("""
                {"op":"Remove","path":"members","value":[{"$ref":null,"value":"u-pay"}]}"""));
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
        assertThat(GENESYS.writes()).hasSize(before + 2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Okta PATCH add", "Entra PATCH Add", "PATCH replace of members", "PATCH no-path add",
            "PUT of the group"})
    void aUserInPayablesIsRefusedApproversWhateverTheShape(String shape) throws Exception {
        String add = "{\"value\":\"u-sup\"},{\"value\":\"u-pay\"}";
        String method = shape.startsWith("PUT") ? "PUT" : "PATCH";
        String body = switch (shape) {
            case "Okta PATCH add" -> PATCH_OP.formatted("{\"op\":\"add\",\"path\":\"members\",\"value\":[" + add + "]}");
            case "Entra PATCH Add" -> PATCH_OP.formatted("{\"op\":\"Add\",\"path\":\"members\",\"value\":"
                    + "[{\"$ref\":null,\"value\":\"u-pay\"}]}");
            case "PATCH replace of members" -> PATCH_OP.formatted("{\"op\":\"replace\",\"path\":\"members\",\"value\":["
                    + add + "]}");
            case "PATCH no-path add" -> PATCH_OP.formatted("{\"op\":\"add\",\"value\":{\"members\":[" + add + "]}}");
            default -> "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":"
                    + "\"Finance Approvers\",\"members\":[" + add + "]}";
        };
        int writes = GENESYS.writes().size();
        int rows = count("ACCESS_SOD_CONFLICT");

        HttpResponse<String> answer = GENESYS.send(port, method, "/Groups/g-app", body);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(answer.body());
        assertThat(error.at("/schemas/0").asText()).isEqualTo(ScimError.SCHEMA);
        assertThat(error.at("/status").asText()).isEqualTo("400");
        assertThat(error.at("/detail").asText()).contains("Finance Payables").contains("Finance Approvers")
                .contains("ACCESS_SOD_CONFLICT").contains("u-pay").doesNotContain("u-sup");
        assertThat(GENESYS.writes()).as("nothing reached Genesys").hasSize(writes);
        assertThat(count("ACCESS_SOD_CONFLICT")).as("the decision is on file").isEqualTo(rows + 1);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM siem_outbox o JOIN decision_audit d USING (decision_id)
                WHERE d.operation = ? AND d.outcome = 'REJECTED' AND d.user_name = 'u-pay@acme.com'""",
                Integer.class, method + " /Groups/g-app")).as("exported to the SIEM").isPositive();
        JsonNode listed = JSON.readTree(api("/api/v1/decisions?code=ACCESS_SOD_CONFLICT"));
        assertThat(listed.at("/items/0/operation").asText()).isEqualTo(method + " /Groups/g-app");
    }

    @Test
    void aReplayNeverTakesAMembershipDecisionForAUser() throws Exception {
        GENESYS.send(port, "PATCH", "/Groups/g-app", PATCH_OP.formatted(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"u-pay\"}]}"));
        List<String> membership = jdbc.queryForList("SELECT decision_id::text FROM decision_audit "
                + "WHERE operation LIKE '%/Groups/%' AND outcome IN ('ACCEPTED', 'REJECTED')", String.class);
        assertThat(membership).isNotEmpty();
        List<String> replayed = new java.util.ArrayList<>();
        try (java.sql.Connection connection = jdbc.getDataSource().getConnection()) {
            new org.scimgate.audit.JudgedHistory(connection).forEach(java.time.Instant.EPOCH,
                    java.time.Instant.now().plusSeconds(3600), judged -> replayed.add(judged.decisionId()));
        }
        assertThat(replayed).doesNotContainAnyElementsOf(membership);
    }

    @Test
    void entriesThatAreNotConflictsPassAndSoDoRemovalsFromEitherGroup() throws Exception {
        int writes = GENESYS.writes().size();
        assertThat(GENESYS.send(port, "PATCH", "/Groups/g-app", PATCH_OP.formatted(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"u-sup\"}]}")).statusCode()).isEqualTo(204);
        assertThat(GENESYS.send(port, "PATCH", "/Groups/g-sup", PATCH_OP.formatted(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"u-pay\"}]}")).statusCode()).isEqualTo(204);
        assertThat(GENESYS.send(port, "PATCH", "/Groups/g-pay", PATCH_OP.formatted(
                "{\"op\":\"remove\",\"path\":\"members[value eq \\\"u-fail\\\"]\"}")).statusCode())
                .as("a removal is never refused, even of a user Genesys cannot read").isEqualTo(204);
        assertThat(GENESYS.writes()).hasSize(writes + 3);
        assertThat(GENESYS.reads("/users/u-fail")).as("a removal needs no read of the user").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"u-fail", "u-stall"})
    void aGenesysThatCannotSayWhichGroupsTheUserIsInGivesARecordedRefusal(String user) throws Exception {
        int writes = GENESYS.writes().size();
        int rows = count(MembershipJudge.UNKNOWN);

        HttpResponse<String> answer = GENESYS.send(port, "PATCH", "/Groups/g-sup", PATCH_OP.formatted(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + user + "\"}]}"));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).at("/detail").asText()).contains(MembershipJudge.UNKNOWN)
                .contains(user);
        assertThat(GENESYS.writes()).as("never forwarded unjudged").hasSize(writes);
        assertThat(count(MembershipJudge.UNKNOWN)).as("the refusal is on file").isEqualTo(rows + 1);
    }

    @Test
    void aMemberListedWithoutItsGroupsNameIsJudgedByTheNameGenesysGivesTheGroup() throws Exception {
        int reads = GENESYS.reads("/groups/g-sup").size();
        assertThat(GENESYS.send(port, "PATCH", "/Groups/g-app", PATCH_OP.formatted(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"u-sup\"}]}")).statusCode()).isEqualTo(204);
        assertThat(GENESYS.reads("/groups/g-sup")).as("the name of u-sup's group was asked").hasSizeGreaterThan(reads);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET /Bulk", "POST /Bulk", "GET /Nope/x/y", "DELETE /Users", "PUT /Groups", "GET /users",
            "POST /Me"})
    void everyUnservedPathAnswersAScimError(String call) throws Exception {
        String[] parts = call.split(" ");
        HttpResponse<String> answer = GENESYS.send(port, parts[0], parts[1], parts[0].equals("GET") ? "" : "{}");
        assertThat(answer.statusCode()).isIn(404, 405);
        JsonNode error = JSON.readTree(answer.body());
        assertThat(error.at("/schemas/0").asText()).as(answer.body()).isEqualTo(ScimError.SCHEMA);
        assertThat(error.get("status").isTextual()).isTrue();
        assertThat(error.get("status").asText()).isEqualTo(Integer.toString(answer.statusCode()));
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/scim+json"));
    }

    private int count(String code) {
        return jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE violations::text LIKE ?", Integer.class,
                "%" + code + "%");
    }

    private List<String> outcomes(String operation) {
        return jdbc.queryForList("SELECT outcome FROM decision_audit WHERE operation = ? ORDER BY seq", String.class,
                operation);
    }

    private String api(String path) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path)).header("Authorization", TestCredentials.ANALYST).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
