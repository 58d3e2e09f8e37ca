package org.scimgate.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An OAuth client-credentials token from {@code https://login.<domain>/oauth/token}, cached for the
 * {@code expires_in} Genesys returns minus a margin. Under concurrency one thread refreshes while
 * the others wait for its result.
 */
class GenesysToken {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GenesysToken.class);

    private record Token(String value, Instant refreshAt) {
    }

    private final HttpClient http;
    private final ObjectMapper json;
    private final GenesysSettings settings;
    private final Clock clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Token current;

    GenesysToken(HttpClient http, ObjectMapper json, GenesysSettings settings, Clock clock) {
        this.http = http;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
    }

    String get() {
        Token token = current;
        if (token != null && clock.instant().isBefore(token.refreshAt())) {
            return token.value();
        }
        refreshing.lock();
        try {
            token = current;
            if (token == null || !clock.instant().isBefore(token.refreshAt())) {
                token = fetch();
                current = token;
            }
            return token.value();
        } finally {
            refreshing.unlock();
        }
    }

    /** One HTTP call made with a bearer token. */
    @FunctionalInterface
    interface Call {
        HttpResponse<String> send(String bearer) throws IOException, InterruptedException;
    }

    /**
     * Makes the call with the cached token; when Genesys answers 401 (the token was revoked, or
     * expired early), fetches a new one and makes the call once more.
     */
    HttpResponse<String> send(Call call) throws IOException, InterruptedException {
        String bearer = get();
        HttpResponse<String> response = call.send(bearer);
        if (response.statusCode() == 401) {
            LOG.info("Genesys refused the cached token; fetching a new one and repeating the call once");
            invalidate(bearer);
            response = call.send(get());
        }
        return response;
    }

    /** Forgets {@code rejected} after Genesys refused it, unless another thread already replaced it. */
    void invalidate(String rejected) {
        refreshing.lock();
        try {
            if (current != null && current.value().equals(rejected)) {
                current = null;
            }
        } finally {
            refreshing.unlock();
        }
    }

    private Token fetch() {
        String credentials = Base64.getEncoder().encodeToString(
                (settings.clientId() + ":" + settings.clientSecret()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.login() + "/oauth/token"))
                .timeout(settings.timeout())
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        try {
            HttpResponse<String> response = Exchange.within(http, request, settings.timeout());
            if (response.statusCode() != 200) {
                throw new GenesysUnavailable("the Genesys token endpoint answered " + response.statusCode(),
                        response.statusCode(), GenesysHttp.retryAfter(response));
            }
            JsonNode body = json.readTree(response.body());
            String token = body.path("access_token").asText(null);
            long expiresIn = body.path("expires_in").asLong(0);
            if (token == null || expiresIn <= 0) {
                throw new GenesysUnavailable("the Genesys token endpoint gave no access_token and expires_in", 200, null);
            }
            Duration lifetime = Duration.ofSeconds(expiresIn);
            Duration margin = settings.tokenRefreshMargin().compareTo(lifetime.dividedBy(2)) > 0
                    ? lifetime.dividedBy(2) : settings.tokenRefreshMargin();
            return new Token(token, clock.instant().plus(lifetime).minus(margin));
        } catch (IOException e) {
            throw new GenesysUnavailable("the Genesys token endpoint is unreachable: " + e.getMessage(), 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenesysUnavailable("interrupted while fetching a Genesys token", 0, null);
        }
    }
}
