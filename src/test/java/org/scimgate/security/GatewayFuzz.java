package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.statistics.Statistics;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;

/**
 * SCIM bodies for the gateway with attribute names in random case, duplicate keys (exact and
 * case-variant) and PATCH paths with value filters; and a stub Genesys that checks, independently
 * of scimgate's reader, that no user it receives breaks the domain or department rule.
 */
final class GatewayFuzz implements AutoCloseable {

    static final String TOKEN = "fuzz-scim-token-0b7e";
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final Set<String> ALLOWED_DEPARTMENTS = Set.of("Engineering", "Sales", "Support", "Finance");
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String STORED = """
            {"id":"u-1","userName":"jane@acme.com","emails":[{"value":"jane@acme.com","type":"work","primary":true},
             {"value":"jane@home.example","type":"other","primary":false}],"active":true,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"},"meta":{"version":"W/\\"3\\""}}""";

    private final LoopbackServer genesys;
    private final HttpClient http = HttpClient.newHttpClient();
    private URI base;

    GatewayFuzz() {
        try {
            genesys = new LoopbackServer();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        genesys.respond(r -> {
            if (r.path().equals("/oauth/token")) {
                return Response.of(200, "{\"access_token\":\"t\",\"expires_in\":86400}");
            }
            if (r.method().equals("GET")) {
                return Response.of(200, STORED);
            }
            return new Response(r.method().equals("POST") ? 201 : 200, r.body(), Map.of("ETag", "W/\"4\""));
        });
    }

    URI genesys() {
        return genesys.uri();
    }

    void at(URI scimBase) {
        this.base = scimBase;
    }

    /** A user as JSON text (duplicates are only expressible as text) and whether the policy must refuse it. */
    record User(String json, boolean nonCompliant) {
        @Override
        public String toString() {
            return json;
        }
    }

    void create(User user) throws Exception {
        int before = writes().size();
        HttpResponse<String> response = send("POST", "/Users", user.json());
        Statistics.label("create").collect(response.statusCode(), user.nonCompliant() ? "non-compliant" : "maybe compliant");
        assertThat(response.statusCode()).as("status for %s: %s", user, response.body()).isBetween(200, 499);
        if (user.nonCompliant()) {
            assertThat(response.statusCode()).as("a non-compliant user is refused: %s", user).isEqualTo(400);
            assertThat(writes()).as("nothing forwarded for %s", user).hasSize(before);
        }
        writes().subList(before, writes().size()).forEach(w -> assertCompliant(w.body(), user.json()));
    }

    void patch(String patch) throws Exception {
        int before = writes().size();
        HttpResponse<String> response = send("PATCH", "/Users/u-1", patch);
        Statistics.label("patch").collect(response.statusCode(), scimType(response.body()));
        assertThat(response.statusCode()).as("status for %s: %s", patch, response.body()).isBetween(200, 499);
        writes().subList(before, writes().size()).forEach(w -> assertCompliant(w.body(), patch));
    }

    private static String scimType(String body) {
        try {
            return String.valueOf(STRICT.readTree(body).path("scimType").asText(null));
        } catch (Exception e) {
            return "?";
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/scim+json").method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<LoopbackServer.Request> writes() {
        return genesys.requests().stream().filter(r -> !r.method().equals("GET") && !r.path().equals("/oauth/token")).toList();
    }

    /** Read as a case-insensitive SCIM server would: one spelling per name, primary emails at acme.com, an allowed department. */
    private static void assertCompliant(String forwarded, String sent) {
        JsonNode user;
        try {
            user = STRICT.readTree(forwarded);
        } catch (Exception e) {
            throw new AssertionError("Genesys received something that is not strict JSON for " + sent + ": " + forwarded);
        }
        assertOneSpellingPerName(user, sent);
        JsonNode emails = get(user, "emails");
        if (emails != null && emails.isArray()) {
            for (JsonNode email : emails) {
                JsonNode primary = get(email, "primary");
                if (primary != null && primary.asText().equalsIgnoreCase("true")) {
                    assertThat(String.valueOf(get(email, "value")).toLowerCase(Locale.ROOT))
                            .as("primary email forwarded for %s", sent).endsWith("@acme.com\"");
                }
            }
        }
        JsonNode extension = get(user, ENTERPRISE);
        JsonNode department = extension != null && get(extension, "department") != null
                ? get(extension, "department") : get(user, "department");
        if (department != null && !department.isNull()) {
            assertThat(ALLOWED_DEPARTMENTS).as("department forwarded for %s", sent).contains(department.asText());
        }
    }

    private static void assertOneSpellingPerName(JsonNode node, String sent) {
        if (node.isObject()) {
            Set<String> seen = new HashSet<>();
            node.properties().forEach(e -> {
                assertThat(seen.add(e.getKey().toLowerCase(Locale.ROOT))).as("%s twice, forwarded for %s", e.getKey(), sent)
                        .isTrue();
                assertOneSpellingPerName(e.getValue(), sent);
            });
        } else if (node.isArray()) {
            node.forEach(n -> assertOneSpellingPerName(n, sent));
        }
    }

    private static JsonNode get(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    static Arbitrary<User> users() {
        return Arbitraries.longs().map(seed -> user(new Random(seed)));
    }

    static Arbitrary<String> patches() {
        return Arbitraries.longs().map(seed -> patch(new Random(seed)));
    }

    private static String spell(Random random, String name) {
        return switch (random.nextInt(5)) {
            case 0 -> name.toUpperCase(Locale.ROOT);
            case 1 -> name.toLowerCase(Locale.ROOT);
            case 2 -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
            default -> name;
        };
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static String object(List<String[]> fields) {
        StringBuilder json = new StringBuilder("{");
        for (String[] field : fields) {
            json.append(json.length() > 1 ? "," : "").append('"').append(field[0]).append("\":").append(field[1]);
        }
        return json.append('}').toString();
    }

    private static User user(Random random) {
        boolean nonCompliant = false;
        int duplicate = random.nextInt(12); // 0..2: a duplicate somewhere; otherwise none
        List<String[]> top = new ArrayList<>();
        top.add(new String[] {spell(random, "userName"), "\"u@acme.com\""});
        List<String> emails = new ArrayList<>();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            String domain = pick(random, List.of("acme.com", "ACME.com", "evil.com"));
            boolean primary = i == 0 || random.nextBoolean();
            nonCompliant |= primary && domain.equals("evil.com");
            List<String[]> email = new ArrayList<>();
            email.add(new String[] {spell(random, "value"), "\"e" + i + "@" + domain + "\""});
            email.add(new String[] {spell(random, "primary"), Boolean.toString(primary)});
            email.add(new String[] {spell(random, "type"), "\"work\""});
            if (duplicate == 0 && i == 0) {
                email.add(new String[] {random.nextBoolean() ? email.get(0)[0] : spell(random, "value"), "\"m@evil.com\""});
            }
            emails.add(object(email));
        }
        top.add(new String[] {spell(random, "emails"), "[" + String.join(",", emails) + "]"});
        String department = pick(random, List.of("Sales", "Marketing", "sales", "Finance", "Support"));
        nonCompliant |= !ALLOWED_DEPARTMENTS.contains(department);
        List<String[]> extension = new ArrayList<>();
        extension.add(new String[] {spell(random, "department"), "\"" + department + "\""});
        if (duplicate == 1) {
            extension.add(new String[] {spell(random, "department"), "\"Marketing\""});
        }
        top.add(new String[] {spell(random, ENTERPRISE), object(extension)});
        if (duplicate == 2) {
            top.add(new String[] {spell(random, "userName"), "\"other@acme.com\""});
        }
        return new User(object(top), nonCompliant || duplicate <= 2);
    }

    private static final List<String> PATHS = List.of("emails[primary eq true].value", "EMAILS[PRIMARY eq true].VALUE",
            "emails[type eq \\\"work\\\"].value", "emails[type eq \\\"WORK\\\" and primary eq true].value",
            "emails[not (primary eq false)].value", "emails[value co \\\"ACME\\\" or type eq \\\"other\\\"].value",
            "emails[primary eq 1].value", "emails[primary eq 1.5 or primary eq true].value", "emails.value",
            "emails[type eq \\\"other\\\"].primary", "emails", ENTERPRISE + ":department", ENTERPRISE.toUpperCase() + ":DEPARTMENT",
            "department", "urn:example:custom:2.0:User:department", "emails[", "emails[type xx 1].value", "name.givenName",
            "active", "userName", "");
    private static final List<String> VALUES = List.of("\"mallory@evil.com\"", "\"jane@acme.com\"", "\"Marketing\"",
            "\"Sales\"", "\"True\"", "\"False\"", "true", "false", "1", "[{\"value\":\"m@evil.com\",\"primary\":true}]",
            "[{\"VALUE\":\"x@acme.com\",\"Primary\":\"True\"}]", "{\"department\":\"Marketing\"}",
            "{\"" + ENTERPRISE + ":department\":\"Marketing\"}", "{\"" + ENTERPRISE.toLowerCase() + "\":{\"Department\":\"Marketing\"}}",
            "{\"emails\":[{\"value\":\"m@evil.com\",\"primary\":true}],\"EMAILS\":[]}", "{\"active\":\"False\"}");

    private static String patch(Random random) {
        List<String> operations = new ArrayList<>();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            List<String[]> operation = new ArrayList<>();
            String op = random.nextInt(30) == 0 ? "move" : pick(random, List.of("add", "replace", "replace", "remove"));
            operation.add(new String[] {spell(random, "op"), "\"" + spell(random, op) + "\""});
            if (random.nextInt(5) > 0) {
                operation.add(new String[] {spell(random, "path"), "\"" + pick(random, PATHS) + "\""});
            }
            operation.add(new String[] {spell(random, "value"), pick(random, VALUES)});
            if (random.nextInt(30) == 0) {
                operation.add(new String[] {spell(random, "path"), "\"department\""});
            }
            operations.add(object(operation));
        }
        return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                + String.join(",", operations) + "]}";
    }

    @Override
    public void close() {
        genesys.close();
    }
}
