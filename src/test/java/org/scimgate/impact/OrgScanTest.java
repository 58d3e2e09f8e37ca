package org.scimgate.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scimgate.support.CliRun;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;

/** {@code genesys scan} against a stub Genesys on loopback: 60 users on three pages, one 429 on the way. */
class OrgScanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 60;

    private LoopbackServer genesys;
    private final AtomicBoolean throttled = new AtomicBoolean();

    @BeforeEach
    void start() throws Exception {
        genesys = new LoopbackServer();
        genesys.respond(request -> {
            if (request.path().startsWith("/oauth/token")) {
                return Response.of(200, "{\"access_token\":\"scan-token\",\"token_type\":\"bearer\",\"expires_in\":86400}");
            }
            if (!request.path().startsWith("/api/v2/scim/v2/users?")) {
                return Response.of(404, "{}");
            }
            int start = Integer.parseInt(query(request.path(), "startIndex"));
            int count = Integer.parseInt(query(request.path(), "count"));
            if (start == 26 && throttled.compareAndSet(false, true)) {
                return new Response(429, "{\"message\":\"Rate limit exceeded\"}", Map.of("Retry-After", "1"));
            }
            return Response.of(200, page(start, count).toString());
        });
    }

    @AfterEach
    void stop() {
        genesys.close();
    }

    /** Users 1..60: every tenth on a domain that is not provisioned, user 7 in a refused department, user 33 unreadable. */
    private static ObjectNode page(int start, int count) {
        ObjectNode page = JSON.createObjectNode();
        page.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:ListResponse");
        page.put("totalResults", USERS).put("startIndex", start);
        ArrayNode resources = page.putArray("Resources");
        for (int i = start; i < Math.min(start + count, USERS + 1); i++) {
            ObjectNode user = resources.addObject();
            String domain = i % 10 == 0 ? "evil.com" : "acme.com";
            user.put("id", "id-" + i).put("userName", "user" + i + "@" + domain).put("displayName", "User " + i)
                    .put("active", true);
            if (i == 33) {
                user.put("emails", "user33@acme.com");
            } else {
                user.putArray("emails").addObject().put("value", "user" + i + "@" + domain).put("type", "work")
                        .put("primary", true);
            }
            user.putObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                    .put("department", i == 7 ? "Legal" : "Engineering").put("division", "Home");
        }
        page.put("itemsPerPage", resources.size());
        return page;
    }

    @Test
    void scansEveryPageHonoursRetryAfterAndReportsTheViolatingUsers() throws Exception {
        Map<String, String> env = Map.of("GENESYS_CLIENT_ID", "scan-client", "GENESYS_CLIENT_SECRET", "scan-secret",
                "GENESYS_API_BASE_URL", genesys.uri().toString(), "GENESYS_LOGIN_BASE_URL", genesys.uri().toString());
        CliRun scan = CliRun.of(env, "genesys", "scan", "--rules", "rules", "--format", "json");

        assertThat(scan.exit()).as(scan.err()).isZero();
        JsonNode report = JSON.readTree(scan.out());
        assertThat(report.path("scanned").asLong()).isEqualTo(USERS);
        assertThat(report.path("violating").asLong()).isEqualTo(7);
        assertThat(report.path("wouldBeRejected").asLong()).isEqualTo(7);
        assertThat(report.path("users").findValuesAsText("id"))
                .containsExactlyInAnyOrder("id-7", "id-10", "id-20", "id-30", "id-40", "id-50", "id-60");
        JsonNode legal = report.path("users").get(0);
        assertThat(legal.path("userName").asText()).isEqualTo("user7@acme.com");
        assertThat(legal.path("violations").get(0).path("code").asText()).isEqualTo("POLICY_DEPARTMENT_DENIED");
        assertThat(legal.path("violations").get(0).path("field").asText()).isEqualTo("department");
        assertThat(legal.path("violations").get(0).path("message").asText()).contains("Legal");
        assertThat(report.path("unreadable").findValuesAsText("id")).containsExactly("id-33");

        List<String> pages = genesys.requests("/api/v2/scim/v2/users").stream().map(LoopbackServer.Request::path)
                .toList();
        assertThat(pages).containsExactly("/api/v2/scim/v2/users?startIndex=1&count=25",
                "/api/v2/scim/v2/users?startIndex=26&count=25", "/api/v2/scim/v2/users?startIndex=26&count=25",
                "/api/v2/scim/v2/users?startIndex=51&count=25");
        assertThat(genesys.requests("/api/v2/scim/v2/users").get(0).header("Authorization"))
                .isEqualTo("Bearer scan-token");
    }

    @Test
    void withoutCredentialsSaysWhatToSetAndCallsNothing() {
        CliRun scan = CliRun.of(Map.of("GENESYS_API_BASE_URL", genesys.uri().toString()), "genesys", "scan",
                "--rules", "rules");
        assertThat(scan.exit()).isEqualTo(ReplayCommand.REFUSED);
        assertThat(scan.err()).contains("GENESYS_CLIENT_ID");
        assertThat(genesys.requests()).isEmpty();
    }

    private static String query(String path, String name) {
        for (String part : path.substring(path.indexOf('?') + 1).split("&")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException(name + " missing from " + path);
    }
}
