package org.scimgate.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.StallingServer;

/** The Genesys Cloud client against a stub Genesys on loopback. */
class GenesysClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoopbackServer genesys;
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger tokensIssued = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        genesys = new LoopbackServer();
    }

    @AfterEach
    void stop() {
        genesys.close();
    }

    private GenesysSettings settings(String clientId, String clientSecret) {
        return new GenesysSettings("mypurecloud.com", genesys.uri(), genesys.uri(), clientId, clientSecret,
                GenesysSettings.CorrelationSource.AUDIT, Duration.ofSeconds(2), Duration.ofMinutes(2),
                Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    private GenesysToken token(GenesysSettings settings) {
        return new GenesysToken(HttpClient.newHttpClient(), JSON, settings, clock);
    }

    private GenesysHttp http(GenesysSettings settings) {
        return new GenesysHttp(HttpClient.newHttpClient(), token(settings), settings, CircuitBreaker.ofDefaults("g"),
                Retry.of("g", GenesysConfiguration.retryConfig()), RateLimiter.ofDefaults("g"));
    }

    /** Issues t1, t2, … with the given lifetime, and answers API calls with {@code api}. */
    private void genesysAnswers(long expiresIn, LoopbackServer.Responder api) {
        genesys.respond(request -> {
            if (request.path().equals("/oauth/token")) {
                Thread.sleep(50);
                return Response.of(200, "{\"access_token\":\"t" + tokensIssued.incrementAndGet()
                        + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresIn + "}");
            }
            return api.answer(request);
        });
    }

    @Test
    void namesTheRealHostsOfEachRegion() {
        GenesysSettings ireland = new GenesysSettings("mypurecloud.ie", null, null, null, null,
                GenesysSettings.CorrelationSource.AUDIT, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
        assertThat(ireland.api()).isEqualTo(URI.create("https://api.mypurecloud.ie"));
        assertThat(ireland.login()).isEqualTo(URI.create("https://login.mypurecloud.ie"));
        GenesysSettings oregon = new GenesysSettings("USW2.pure.cloud", null, null, null, null,
                GenesysSettings.CorrelationSource.AUDIT, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
        assertThat(oregon.api()).isEqualTo(URI.create("https://api.usw2.pure.cloud"));
        assertThat(oregon.login()).isEqualTo(URI.create("https://login.usw2.pure.cloud"));
        assertThat(GenesysRegions.KNOWN).contains("mypurecloud.com", "mypurecloud.de", "mypurecloud.jp",
                "mypurecloud.com.au", "cac1.pure.cloud", "euw2.pure.cloud", "aps1.pure.cloud", "use2.us-gov-pure.cloud",
                "edee1.eusc-pure.cloud").hasSize(18);
        assertThatThrownBy(() -> new GenesysSettings("us", null, null, null, null,
                GenesysSettings.CorrelationSource.AUDIT, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("GENESYS_REGION must be the Genesys Cloud domain");
        assertThat(settings("id", "secret").enabled()).isTrue();
        assertThat(settings(null, "secret").enabled()).isFalse();
    }

    @Test
    void fetchesTheTokenWithBasicAuthAndKeepsItUntilShortlyBeforeItExpires() {
        genesysAnswers(120, request -> Response.of(200, "{}"));
        GenesysToken token = token(settings("client", "s3cret"));
        assertThat(token.get()).isEqualTo("t1");
        assertThat(token.get()).isEqualTo("t1");
        LoopbackServer.Request tokenRequest = genesys.requests("/oauth/token").get(0);
        assertThat(tokenRequest.method()).isEqualTo("POST");
        assertThat(tokenRequest.header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("client:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(tokenRequest.body()).isEqualTo("grant_type=client_credentials");
        assertThat(tokenRequest.body()).doesNotContain("s3cret");

        clock.advance(Duration.ofSeconds(59));
        assertThat(token.get()).isEqualTo("t1");
        clock.advance(Duration.ofSeconds(2)); // 61 s of 120: inside the 60 s margin
        assertThat(token.get()).isEqualTo("t2");
        assertThat(genesys.requests("/oauth/token")).hasSize(2);
    }

    @Test
    void refreshesOnceUnderConcurrency() throws Exception {
        genesysAnswers(86400, request -> Response.of(200, "{}"));
        GenesysToken token = token(settings("client", "secret"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> tokens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tokens.add(pool.submit(token::get));
            }
            for (Future<String> t : tokens) {
                assertThat(t.get()).isEqualTo("t1");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(genesys.requests("/oauth/token")).hasSize(1);
    }

    @Test
    void a401RefreshesTheTokenAndRepeatsTheCallOnce() {
        genesysAnswers(86400, request -> "Bearer t1".equals(request.header("Authorization"))
                ? Response.of(401, "{}") : Response.of(200, "{\"ok\":true}"));
        assertThat(http(settings("client", "secret")).call("GET", "/api/v2/users/me", null)).contains("ok");
        assertThat(genesys.requests("/oauth/token")).hasSize(2);
        assertThat(genesys.requests("/api/v2/users/me")).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer t1", "Bearer t2");
    }

    @Test
    void a429IsRetriedAfterWhatRetryAfterAsks() {
        AtomicInteger calls = new AtomicInteger();
        genesysAnswers(86400, request -> calls.incrementAndGet() == 1
                ? new Response(429, "{}", Map.of("Retry-After", "1")) : Response.of(200, "{\"ok\":true}"));
        assertThat(http(settings("client", "secret")).call("GET", "/api/v2/users/me", null)).contains("ok");
        assertThat(genesys.requests("/api/v2/users/me")).hasSize(2);

        var interval = GenesysConfiguration.retryConfig().getIntervalBiFunction();
        assertThat(interval.apply(1, Either.left(new GenesysUnavailable("429", 429, Duration.ofSeconds(7)))))
                .isEqualTo(7000L);
        assertThat(GenesysConfiguration.retryConfig().getExceptionPredicate()
                .test(new GenesysUnavailable("429", 429, Duration.ofMinutes(5))))
                .as("a long Retry-After defers the outbox row instead of holding the relay thread").isFalse();
        assertThat(GenesysConfiguration.retryConfig().getExceptionPredicate()
                .test(new GenesysRefused("403", 403))).isFalse();
    }

    @Test
    void findsTheUserCreationInTheAuditApi() throws Exception {
        genesysAnswers(86400, request -> Response.of(200, """
                {"entities":[
                  {"id":"audit-other","action":"Create","entity":{"id":"u-9","name":"someone@acme.com"}},
                  {"id":"audit-42","action":"Create","entity":{"id":"u-1","name":"jane@acme.com"}}],
                 "total":2}"""));
        AuditApiCorrelator correlator = new AuditApiCorrelator(http(settings("c", "s")), JSON, clock);
        assertThat(correlator.correlate(new CorrelationQuery("u-1", "jane@acme.com", clock.instant())))
                .contains("audit-42");
        LoopbackServer.Request query = genesys.requests("/api/v2/audits/query/realtime").get(0);
        assertThat(query.method()).isEqualTo("POST");
        JsonNode body = JSON.readTree(query.body());
        assertThat(body.get("serviceName").asText()).isEqualTo("Directory");
        assertThat(body.get("interval").asText()).contains("/");
        assertThat(body.get("filters").findValuesAsText("value")).contains("User", "Create", "u-1");
        assertThat(correlator.correlate(new CorrelationQuery("u-404", "nobody@acme.com", clock.instant()))).isEmpty();
    }

    @Test
    @Timeout(60)
    void aGenesysThatStallsMidBodyIsGivenUpOnWithinTheTimeout() throws Exception {
        genesysAnswers(86400, request -> Response.of(200, "{}"));
        try (StallingServer api = new StallingServer()) {
            GenesysSettings settings = new GenesysSettings("mypurecloud.com", api.uri(), genesys.uri(), "c", "s",
                    GenesysSettings.CorrelationSource.AUDIT, Duration.ofSeconds(2), Duration.ofMinutes(2),
                    Duration.ofSeconds(60), Duration.ofMillis(300));
            AuditApiCorrelator correlator = new AuditApiCorrelator(http(settings), JSON, clock);
            assertThatThrownBy(() -> correlator.correlate(new CorrelationQuery("u-1", "jane@acme.com", clock.instant())))
                    .isInstanceOf(GenesysUnavailable.class).hasMessageContaining("no complete answer");
            assertThat(api.requests()).isPositive();

            GenesysScim scim = new GenesysScim(settings, HttpClient.newHttpClient(), token(settings),
                    CircuitBreaker.ofDefaults("scim-stall"), RateLimiter.ofDefaults("scim-stall"));
            assertThatThrownBy(() -> scim.exchange("GET", "/users/u-1", null, null))
                    .isInstanceOf(GenesysUnavailable.class).hasMessageContaining("no complete answer");
        }
    }

    @Test
    void theTutorialsScimEventsLookupTakesTheFirstItem() {
        genesysAnswers(86400, request -> Response.of(200, "{\"items\":[{\"id\":\"evt-1\"},{\"id\":\"evt-2\"}]}"));
        ScimEventsCorrelator correlator = new ScimEventsCorrelator(http(settings("c", "s")), JSON, clock);
        assertThat(correlator.correlate(new CorrelationQuery("u-1", "jane@acme.com",
                Instant.parse("2026-11-29T10:00:00Z")))).contains("evt-1");
        assertThat(genesys.requests("/api/v2/scim/events").get(0).path())
                .isEqualTo("/api/v2/scim/events?eventType=USER&createdAfter=2026-11-29T10%3A00%3A00Z&pageSize=10");
    }

    @Test
    void withoutCredentialsNothingIsAskedOfGenesys() {
        Correlator correlator = new GenesysConfiguration().correlator(settings(null, null), JSON,
                CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults(), RateLimiterRegistry.ofDefaults());
        assertThat(correlator.enabled()).isFalse();
        assertThat(correlator.correlate(new CorrelationQuery("u", "n", Instant.now()))).isEmpty();
        assertThat(genesys.requests()).isEmpty();
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
