package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The invariant behind "judged as forwarded", over real HTTP with a stand-in Genesys and a real
 * PostgreSQL: for every write the gateway accepts, the body Genesys received, read again by the
 * same reader, gives the facts the rules judged (read from the decision on file); read by a server
 * that honours every spelling SCIM allows ({@link GenesysView}), it gives one login, the work
 * emails and the department the rules saw, all within policy; and it carries nothing scimgate did
 * not understand. A write holding a value of the wrong type, or an attribute named twice, is refused.
 */
class ForwardedUserReadsAsJudgedTest {

    private static final String TOKEN = "judged-as-forwarded-token-7f2a";
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> ALLOWED_DOMAINS = Set.of("acme.com", "acme-corp.com");
    private static final Set<String> ALLOWED_DEPARTMENTS = Set.of("Engineering", "Sales", "Support", "Finance");
    private static final String STORED = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "id":"u-1","userName":"jane@acme.com","displayName":"Jane",
             "emails":[{"value":"jane@acme.com","type":"work","primary":true},{"value":"jane@home.example","type":"other"}],
             "active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"},
             "meta":{"resourceType":"User","version":"W/\\"3\\""}}""";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LoopbackServer genesys;
    private static ConfigurableApplicationContext service;
    private static JdbcTemplate jdbc;

    @BeforeContainer
    static void start() throws Exception {
        genesys = new LoopbackServer();
        genesys.respond(r -> {
            if (r.path().equals("/oauth/token")) {
                return Response.of(200, "{\"access_token\":\"t\",\"expires_in\":86400}");
            }
            if (r.method().equals("GET")) {
                return Response.of(200, STORED);
            }
            return new Response(r.method().equals("POST") ? 201 : 200, r.body(), Map.of("ETag", "W/\"4\""));
        });
        service = TestService.start(TestPostgres.newDatabase(),
                "--scimgate.gateway.scim-token=" + TOKEN,
                "--scimgate.genesys.client-id=client",
                "--scimgate.genesys.client-secret=secret",
                "--scimgate.genesys.api-base-url=" + genesys.uri(),
                "--scimgate.genesys.login-base-url=" + genesys.uri(),
                "--resilience4j.ratelimiter.instances.genesys.limit-for-period=1000000",
                "--logging.level.org.scimgate=WARN");
        jdbc = service.getBean(JdbcTemplate.class);
    }

    @AfterContainer
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (genesys != null) {
            genesys.close();
        }
    }

    @Property(tries = 250)
    void genesysReceivesExactlyTheUserTheRulesJudged(@ForAll("gatewayWrites") JudgedWrites.Write write) throws Exception {
        int before = writes().size();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(TestService.uri(service, "/scim/v2")
                        + write.path())).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/scim+json")
                .method(write.method(), HttpRequest.BodyPublishers.ofString(write.body())).build(),
                HttpResponse.BodyHandlers.ofString());
        List<LoopbackServer.Request> forwarded = writes().subList(before, writes().size());
        Statistics.label("answer").collect(write.method(), answer.statusCode());
        assertThat(answer.statusCode()).as("%s answered %s", write, answer.body()).isBetween(200, 499);
        if (answer.statusCode() >= 300) {
            assertThat(forwarded).as("nothing forwarded for the refused %s", write).isEmpty();
            return;
        }
        assertThat(write.mustBeRefused()).as("accepted although it holds a wrong type or a name twice: %s", write).isFalse();
        assertThat(forwarded).as("one write forwarded for %s", write).hasSize(1);
        String body = forwarded.get(0).body();
        JsonNode received = STRICT.readTree(body);

        ScimUser judged = ScimUserReader.read(STRICT.readTree(jdbc.queryForObject("SELECT payload::text FROM decision_audit "
                + "WHERE source = 'gateway' AND outcome LIKE 'ACCEPTED%' ORDER BY seq DESC LIMIT 1", String.class)), "user");
        assertThat(ScimUserReader.read(received, "user")).as("Genesys' body read again, for %s", write).isEqualTo(judged);

        GenesysView view = GenesysView.of(received, write.toString());
        assertThat(view.login()).as("login for %s", write).isEqualTo(judged.userName());
        assertThat(view.workEmails()).as("work emails for %s", write)
                .isEqualTo(judged.emails().stream().filter(e -> e.value() != null && e.type() != null && e.type().strip().equalsIgnoreCase("work"))
                        .map(e -> e.value()).toList());
        assertThat(view.department()).as("department for %s", write).isEqualTo(judged.department());
        assertWithinPolicy(view, write);
        assertThat(body).as("nothing scimgate did not understand reaches Genesys, for %s", write)
                .doesNotContain(JudgedWrites.UNKNOWN);
    }

    /** Checked apart from the rules: every address Genesys uses is at an allowed domain. */
    private static void assertWithinPolicy(GenesysView view, JudgedWrites.Write write) {
        if (view.login() != null && view.login().codePoints().anyMatch(c -> c == '@' || c == 0xFF20 || c == 0xFE6B)) {
            assertThat(allowed(view.login())).as("login %s forwarded for %s", view.login(), write).isTrue();
        }
        view.workEmails().forEach(e -> assertThat(allowed(e)).as("work email %s forwarded for %s", e, write).isTrue());
        view.primaryEmails().forEach(e -> assertThat(allowed(e)).as("primary email %s forwarded for %s", e, write).isTrue());
        if (view.department() != null) {
            assertThat(ALLOWED_DEPARTMENTS).as("department forwarded for %s", write).contains(view.department());
        }
    }

    private static boolean allowed(String address) {
        int at = address.indexOf('@');
        return at > 0 && at == address.lastIndexOf('@')
                && ALLOWED_DOMAINS.contains(address.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    private static List<LoopbackServer.Request> writes() {
        return genesys.requests().stream().filter(r -> !r.method().equals("GET") && !r.path().equals("/oauth/token")).toList();
    }

    @Provide
    Arbitrary<JudgedWrites.Write> gatewayWrites() {
        return JudgedWrites.writes();
    }
}
