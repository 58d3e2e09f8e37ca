package org.scimgate.genesys;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Authenticated calls to the Genesys Cloud API. A 401 refreshes the token once and repeats the
 * call; 429 and 5xx are {@link GenesysUnavailable}, which the retry (honouring {@code Retry-After}),
 * the circuit breaker and the rate limiter (300 requests a minute per token) act on. Each exchange,
 * answer body included, ends within {@code scimgate.genesys.timeout} ({@link Exchange}).
 */
class GenesysHttp {


    private final HttpClient http;
    private final GenesysToken token;
    private final GenesysSettings settings;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;
    private final RateLimiter rateLimiter;

    GenesysHttp(HttpClient http, GenesysToken token, GenesysSettings settings, CircuitBreaker circuitBreaker,
                Retry retry, RateLimiter rateLimiter) {
        this.http = http;
        this.token = token;
        this.settings = settings;
        this.circuitBreaker = circuitBreaker;
        this.retry = retry;
        this.rateLimiter = rateLimiter;
    }

    /** GET or POST {@code path} (with {@code body} as JSON when not null); the response body on 2xx. */
    String call(String method, String path, String body) {
        Supplier<String> once = () -> RateLimiter.decorateSupplier(rateLimiter, () -> send(method, path, body)).get();
        return CircuitBreaker.decorateSupplier(circuitBreaker, Retry.decorateSupplier(retry, once)).get();
    }

    private String send(String method, String path, String body) {
        HttpResponse<String> response;
        try {
            response = token.send(bearer -> Exchange.within(http, request(method, path, body, bearer), settings.timeout()));
        } catch (IOException e) {
            throw new GenesysUnavailable("Genesys is unreachable: " + e.getMessage(), 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenesysUnavailable("interrupted while calling Genesys", 0, null);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        if (status == 429 || status >= 500) {
            throw new GenesysUnavailable("Genesys answered " + status + " to " + method + " " + path, status,
                    retryAfter(response));
        }
        throw new GenesysRefused("Genesys answered " + status + " to " + method + " " + path, status);
    }

    private HttpRequest request(String method, String path, String body, String bearer) {
        return HttpRequest.newBuilder(URI.create(settings.api() + path))
                .timeout(settings.timeout())
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }
}
