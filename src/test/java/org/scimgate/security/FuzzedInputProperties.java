package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.scimgate.support.TestService;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Random and mutated SCIM payloads and envelopes against a running service on a real PostgreSQL:
 * none may get a 5xx, every answer that names a decision must have its audit row, and the
 * service must still be healthy afterwards. The gateway gets case-varied names, duplicate keys and
 * PATCH paths too ({@link GatewayFuzz}), against a stub Genesys that must never receive a
 * non-compliant user.
 */
class FuzzedInputProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ConfigurableApplicationContext service;
    private static URI webhook;
    private static JdbcTemplate jdbc;
    private static GatewayFuzz gateway;

    private static final String VALID = """
            {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z","data":{"id":"u-1",
             "userName":"jane@acme.com","password":"pw","emails":[{"value":"jane@acme.com","type":"work","primary":true}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","costCenter":"CC-2001"}}}""";

    @BeforeContainer
    static void start() {
        TestPostgres.Database database = TestPostgres.newDatabase();
        gateway = new GatewayFuzz();
        service = TestService.start(database,
                "--scimgate.gateway.scim-token=" + GatewayFuzz.TOKEN,
                "--scimgate.genesys.client-id=client",
                "--scimgate.genesys.client-secret=secret",
                "--scimgate.genesys.api-base-url=" + gateway.genesys(),
                "--scimgate.genesys.login-base-url=" + gateway.genesys(),
                // Genesys' 300 requests a minute would turn the fuzzing into 503s, which are not what is tested here.
                "--resilience4j.ratelimiter.instances.genesys.limit-for-period=1000000",
                "--logging.level.org.scimgate=WARN");
        webhook = URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort()
                + "/webhook/scim-validation");
        jdbc = service.getBean(JdbcTemplate.class);
        gateway.at(webhook.resolve("/scim/v2"));
    }

    @AfterContainer
    static void stop() throws Exception {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(webhook.resolve("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("the service is still up after the fuzzing").isEqualTo(200);
        service.close();
        gateway.close();
    }

    @Property(tries = 200)
    void gatewayNeverForwardsANonCompliantCreateWhateverTheCaseOrDuplicates(@ForAll("fuzzedUsers") GatewayFuzz.User user)
            throws Exception {
        gateway.create(user);
    }

    @Property(tries = 300)
    void gatewayNeverForwardsANonCompliantPatchWhateverThePath(@ForAll("fuzzedPatches") String patch) throws Exception {
        gateway.patch(patch);
    }

    @Property(tries = 150)
    void webhookRefusesDuplicateNamesAndJudgesCaseVariedOnes(@ForAll("fuzzedUsers") GatewayFuzz.User user)
            throws Exception {
        String body = "{\"eventType\":\"user.created\",\"data\":" + user.json() + "}";
        HttpResponse<String> response = webhook(body);
        assertThat(response.statusCode()).as("status for %s", body).isBetween(200, 499);
        if (user.nonCompliant()) {
            assertThat(response.statusCode()).as("a non-compliant user is not accepted: %s", body).isEqualTo(400);
        }
    }

    @Example
    void webhookAnswersMalformedPayloadToAnAttributeNamedTwice() throws Exception {
        for (String data : java.util.List.of("{\"userName\":\"a@acme.com\",\"userName\":\"m@evil.com\"}",
                "{\"userName\":\"a@acme.com\",\"USERNAME\":\"m@evil.com\"}",
                "{\"userName\":\"a@acme.com\",\"emails\":[{\"value\":\"a@acme.com\",\"VALUE\":\"m@evil.com\",\"primary\":true}]}")) {
            HttpResponse<String> response = webhook("{\"eventType\":\"user.created\",\"data\":" + data + "}");
            assertThat(response.statusCode()).as(data).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("errorCode").asText()).as(data).isEqualTo("MALFORMED_PAYLOAD");
        }
    }

    @Example
    void webhookJudgesTheEnterpriseDepartmentWhateverItsCase() throws Exception {
        HttpResponse<String> response = webhook("""
                {"eventType":"user.created","data":{"userName":"m@acme.com","EMAILS":[{"Value":"m@acme.com","Primary":true}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":{"Department":"Marketing"}}}""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("REJECTED").contains("POLICY_DEPARTMENT_DENIED");
    }

    private static HttpResponse<String> webhook(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(webhook).header("Content-Type", "application/json")
                .header("Authorization", TestCredentials.WEBHOOK).header("x-genesys-webhook-id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Provide
    Arbitrary<GatewayFuzz.User> fuzzedUsers() {
        return GatewayFuzz.users();
    }

    @Provide
    Arbitrary<String> fuzzedPatches() {
        return GatewayFuzz.patches();
    }

    private static void assertAnsweredAndRecorded(String body, String contentType) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(webhook)
                        .header("Content-Type", contentType)
                        .header("Authorization", TestCredentials.WEBHOOK)
                        .header("x-genesys-webhook-id", UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status for %s", body).isBetween(200, 499);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.hasNonNull("decisionId")).as("decisionId in %s", response.body()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE decision_id = ?::uuid", Long.class,
                answer.get("decisionId").asText())).as("audit row for %s", body).isOne();
    }

    @Property(tries = 300)
    void randomEnvelopesAreAnsweredAndRecorded(@ForAll("envelopes") String body) throws Exception {
        assertAnsweredAndRecorded(body, "application/json");
    }

    @Property(tries = 300)
    void mutatedValidPayloadsAreAnsweredAndRecorded(@ForAll("mutations") String body) throws Exception {
        assertAnsweredAndRecorded(body, "application/json");
    }

    @Property(tries = 50)
    void arbitraryBytesAndContentTypesAreAnsweredAndRecorded(@ForAll("noise") String body,
                                                            @ForAll("contentTypes") String contentType) throws Exception {
        assertAnsweredAndRecorded(body, contentType);
    }

    @Provide
    Arbitrary<String> envelopes() {
        Arbitrary<Object> user = scimUser();
        Arbitrary<Object> eventType = Arbitraries.oneOf(Arbitraries.of("user.created", "user.deleted", ""),
                value(1).map(v -> (Object) v));
        return Combinators.combine(eventType, user, value(2)).as((type, data, extra) -> {
            java.util.Map<String, Object> envelope = new java.util.LinkedHashMap<>();
            envelope.put("eventType", type);
            envelope.put("eventTimestamp", extra);
            envelope.put("data", data);
            return write(envelope);
        });
    }

    private Arbitrary<Object> scimUser() {
        Arbitrary<Object> email = Combinators.combine(Arbitraries.oneOf(addresses(), value(1)), value(1),
                Arbitraries.oneOf(Arbitraries.of(true, false).map(b -> (Object) b), value(1)))
                .as((v, type, primary) -> {
                    java.util.Map<String, Object> entry = new java.util.LinkedHashMap<>();
                    entry.put("value", v);
                    entry.put("type", type);
                    entry.put("primary", primary);
                    return (Object) entry;
                });
        Arbitrary<Object> emails = Arbitraries.oneOf(email.list().ofMaxSize(5).map(l -> (Object) l), value(2));
        return Combinators.combine(Arbitraries.oneOf(strings(), value(1)), emails,
                        Arbitraries.oneOf(strings(), value(1)), Arbitraries.oneOf(strings(), value(1)),
                        Arbitraries.oneOf(value(2), Arbitraries.just(Map.of("department", "Sales"))))
                .as((userName, mails, department, costCenter, enterprise) -> {
                    java.util.Map<String, Object> user = new java.util.LinkedHashMap<>();
                    user.put("userName", userName);
                    user.put("emails", mails);
                    user.put("department", department);
                    user.put("costCenter", costCenter);
                    user.put("password", "secret");
                    user.put("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", enterprise);
                    return (Object) user;
                });
    }

    private Arbitrary<Object> addresses() {
        return Combinators.combine(strings(), Arbitraries.of("acme.com", "ACME.com.", "evil.com", "xn--acme-abc.com",
                        "\u0430cme.com", "acme..com", "", "a@b"))
                .as((local, domain) -> (Object) (local + "@" + domain));
    }

    private Arbitrary<Object> strings() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withChars('\u0000', '\u202e', '\n', '\t', '"', '\\', '@', 'a').ofMaxLength(10),
                Arbitraries.strings().ofMinLength(2040).ofMaxLength(2100).withChars('x'))
                .map(s -> (Object) s);
    }

    private Arbitrary<Object> value(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(strings(), Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.doubles().map(d -> (Object) d), Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        if (depth <= 0) {
            return scalar;
        }
        return Arbitraries.oneOf(scalar, value(depth - 1).list().ofMaxSize(3).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.of("value", "primary", "userName", "x"), value(depth - 1)).ofMaxSize(3)
                        .map(m -> (Object) m));
    }

    @Provide
    Arbitrary<String> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, VALID.length() - 1),
                        Arbitraries.integers().between(0, 5), Arbitraries.chars())
                .as((at, kind, c) -> switch (kind) {
                    case 0 -> VALID.substring(0, at) + VALID.substring(at + 1);
                    case 1 -> VALID.substring(0, at) + c + VALID.substring(at);
                    case 2 -> VALID.substring(0, at);
                    case 3 -> VALID.substring(0, at) + VALID.substring(at).replaceFirst("\"", "");
                    case 4 -> VALID.replace("\"primary\":true", "\"primary\":" + (int) c);
                    default -> "[" + VALID.substring(at) + "{".repeat(kind * 20);
                });
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200), Arbitraries.just("{".repeat(5000)),
                Arbitraries.just("[" + "1,".repeat(100_000) + "1]"), Arbitraries.just(""));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "text/plain", "application/scim+json", "application/json; charset=latin1",
                "multipart/form-data", "*/*", ";;;");
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
