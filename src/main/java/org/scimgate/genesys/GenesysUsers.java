package org.scimgate.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Every user of the org, read through Genesys' SCIM API: {@code GET /api/v2/scim/v2/users} page by
 * page ({@code startIndex} from 1, {@code count} {@value #PAGE_SIZE}: Genesys may answer a larger page
 * with 429). Calls go through the rate limit Genesys sets (300 a minute per token); a 429 or 5xx is
 * retried after its {@code Retry-After}, up to the 180 s Genesys' own SDK waits.
 */
public final class GenesysUsers {

    public static final int PAGE_SIZE = 25;
    static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(180);

    private final GenesysHttp api;
    private final ObjectMapper json;

    GenesysUsers(GenesysHttp api, ObjectMapper json) {
        this.api = api;
        this.json = json;
    }

    /**
     * A reader with its own token and the service's rate limit, for a command run outside the service.
     *
     * @throws IllegalArgumentException when no client id and secret are configured
     */
    public static GenesysUsers connect(GenesysSettings settings, ObjectMapper json) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("Set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (an OAuth "
                    + "client-credentials client of your org with the scim:user:view or directory:user:view permission).");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        RateLimiter limiter = RateLimiter.of("genesys", RateLimiterConfig.custom().limitForPeriod(300)
                .limitRefreshPeriod(Duration.ofSeconds(60)).timeoutDuration(Duration.ofSeconds(61)).build());
        return new GenesysUsers(new GenesysHttp(http, new GenesysToken(http, json, settings, Clock.systemUTC()),
                settings, CircuitBreaker.ofDefaults("genesys-scan"),
                Retry.of("genesys-scan", GenesysConfiguration.retryConfig(5, LONGEST_RETRY_AFTER)), limiter), json);
    }

    /**
     * Calls {@code user} with each SCIM user resource, page after page, until Genesys has given
     * {@code totalResults} or a page comes back empty.
     *
     * @throws GenesysUnavailable when Genesys cannot be reached or keeps answering 429/5xx
     * @throws GenesysRefused     when Genesys refuses the call (401/403: the client lacks a permission)
     */
    public void forEach(Consumer<JsonNode> user) {
        forEachResource("users", user);
    }

    /**
     * Calls {@code group} with each SCIM group of the org ({@code GET /api/v2/scim/v2/groups}), page
     * after page, with the same rate limit and retries as the users.
     *
     * @throws GenesysUnavailable when Genesys cannot be reached or keeps answering 429/5xx
     * @throws GenesysRefused     when Genesys refuses the call (the client may not view groups)
     */
    public void forEachGroup(Consumer<JsonNode> group) {
        forEachResource("groups", group);
    }

    private void forEachResource(String resource, Consumer<JsonNode> user) {
        int startIndex = 1;
        while (true) {
            JsonNode page;
            try {
                page = json.readTree(api.call("GET", GenesysScim.BASE + "/" + resource + "?startIndex=" + startIndex + "&count="
                        + PAGE_SIZE, null));
            } catch (IOException e) {
                throw new GenesysUnavailable("Genesys answered a " + resource + " page that is not JSON: " + e.getMessage(), 200,
                        null);
            }
            JsonNode resources = page.path("Resources");
            resources.forEach(user);
            long total = page.path("totalResults").asLong(0);
            startIndex += resources.size();
            if (resources.isEmpty() || startIndex > total) {
                return;
            }
        }
    }
}
