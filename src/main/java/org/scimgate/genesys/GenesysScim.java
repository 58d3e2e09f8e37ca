package org.scimgate.genesys;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Genesys Cloud's SCIM API ({@code https://api.<domain>/api/v2/scim/v2}) for the inline gateway.
 * Genesys' answer comes back whole — status, body, {@code ETag}, {@code Location} — so the identity
 * provider sees exactly what Genesys said. Writes are never retried here (a retried POST could
 * create a user twice); only "could not reach Genesys" is an exception.
 */
public class GenesysScim {

    public static final String BASE = "/api/v2/scim/v2";
    private static final List<String> PASSED_HEADERS = List.of("ETag", "Location", "Content-Type", "Retry-After",
            "ININ-Correlation-ID");

    /** Genesys' answer, to relay unchanged. */
    public record Answer(int status, String body, Map<String, String> headers) {
    }

    private final GenesysSettings settings;
    private final HttpClient http;
    private final GenesysToken token;
    private final CircuitBreaker circuitBreaker;
    private final RateLimiter rateLimiter;

    GenesysScim(GenesysSettings settings, HttpClient http, GenesysToken token, CircuitBreaker circuitBreaker,
                RateLimiter rateLimiter) {
        this.settings = settings;
        this.http = http;
        this.token = token;
        this.circuitBreaker = circuitBreaker;
        this.rateLimiter = rateLimiter;
    }

    /** Whether Genesys credentials are configured; without them the gateway cannot forward anything. */
    public boolean configured() {
        return token != null;
    }

    /**
     * Sends a SCIM request to Genesys. {@code path} starts at the SCIM root ({@code /users/…?filter=…}).
     *
     * @throws GenesysUnavailable when Genesys cannot be reached, its circuit is open, or the rate limit is spent
     */
    public Answer exchange(String method, String path, String body, String ifMatch) {
        try {
            return circuitBreaker.executeCheckedSupplier(() -> RateLimiter.decorateCheckedSupplier(rateLimiter,
                    () -> send(method, path, body, ifMatch)).get());
        } catch (CallNotPermittedException e) {
            throw new GenesysUnavailable("the Genesys circuit breaker is open after repeated failures", 0, null);
        } catch (RequestNotPermitted e) {
            throw new GenesysUnavailable("the Genesys rate limit for this client is spent", 429, null);
        } catch (GenesysUnavailable e) {
            throw e;
        } catch (Throwable e) {
            throw new GenesysUnavailable("Genesys is unreachable: " + e.getMessage(), 0, null);
        }
    }

    private Answer send(String method, String path, String body, String ifMatch) throws IOException, InterruptedException {
        HttpResponse<String> response = token.send(bearer -> Exchange.within(http, request(method, path, body, ifMatch, bearer),
                settings.timeout()));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : PASSED_HEADERS) {
            response.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
        }
        return new Answer(response.statusCode(), response.body(), headers);
    }

    private HttpRequest request(String method, String path, String body, String ifMatch, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.api() + BASE + path))
                .timeout(settings.timeout())
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/scim+json, application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/scim+json");
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.build();
    }
}
