package org.scimgate.genesys;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GenesysConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GenesysConfiguration.class);
    /** The longest {@code Retry-After} waited for inside a call; longer ones defer the outbox row instead. */
    static final Duration IN_PROCESS_WAIT = Duration.ofSeconds(10);

    /** One HTTP client and one token per OAuth client, shared by enrichment and the SCIM gateway. */
    record Connection(HttpClient http, GenesysToken token) {
    }

    @Bean
    GenesysScim genesysScim(GenesysSettings settings, ObjectMapper json, CircuitBreakerRegistry circuitBreakers,
                            RateLimiterRegistry rateLimiters) {
        Connection connection = connection(settings, json);
        return new GenesysScim(settings, connection == null ? null : connection.http(),
                connection == null ? null : connection.token(), circuitBreakers.circuitBreaker("genesys"),
                rateLimiters.rateLimiter("genesys"));
    }

    private final java.util.concurrent.ConcurrentHashMap<GenesysSettings, Connection> connections =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Connection connection(GenesysSettings settings, ObjectMapper json) {
        if (!settings.enabled()) {
            return null;
        }
        return connections.computeIfAbsent(settings, s -> {
            HttpClient http = HttpClient.newBuilder().connectTimeout(s.timeout()).build();
            return new Connection(http, new GenesysToken(http, json, s, Clock.systemUTC()));
        });
    }

    @Bean
    Correlator correlator(GenesysSettings settings, ObjectMapper json, CircuitBreakerRegistry circuitBreakers,
                          RetryRegistry retries, RateLimiterRegistry rateLimiters) {
        if (!settings.enabled()) {
            LOG.info("Genesys enrichment is off (no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET): audit records go out without correlation");
            return new Correlator() {
                @Override
                public Optional<String> correlate(CorrelationQuery query) {
                    return Optional.empty();
                }

                @Override
                public boolean enabled() {
                    return false;
                }
            };
        }
        Clock clock = Clock.systemUTC();
        Connection connection = connection(settings, json);
        GenesysHttp api = new GenesysHttp(connection.http(), connection.token(), settings,
                circuitBreakers.circuitBreaker("genesys"), retries.retry("genesys", retryConfig()),
                rateLimiters.rateLimiter("genesys"));
        LOG.info("Genesys enrichment is on: {} via {}", settings.api(), settings.correlationSource());
        return switch (settings.correlationSource()) {
            case AUDIT -> new AuditApiCorrelator(api, json, clock);
            case SCIM_EVENTS -> new ScimEventsCorrelator(api, json, clock);
        };
    }

    /**
     * Three attempts with jittered exponential backoff; a 429 waits what its {@code Retry-After}
     * asks. A wait longer than {@link #IN_PROCESS_WAIT} is not spent holding a relay thread: the
     * call fails and the outbox row comes back after the requested time.
     */
    static RetryConfig retryConfig() {
        return retryConfig(3, IN_PROCESS_WAIT);
    }

    /** {@code attempts} tries in all; a {@code Retry-After} up to {@code longestWait} is waited for, a longer one fails. */
    static RetryConfig retryConfig(int attempts, Duration longestWait) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(500), 2.0, 0.5);
        IntervalBiFunction<Object> interval = (attempt, outcome) -> {
            if (outcome.isLeft() && outcome.getLeft() instanceof GenesysUnavailable unavailable
                    && unavailable.retryAfter() != null) {
                return unavailable.retryAfter().toMillis();
            }
            return backoff.apply(attempt);
        };
        return RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalBiFunction(interval)
                .retryOnException(e -> e instanceof GenesysUnavailable unavailable
                        && (unavailable.retryAfter() == null || unavailable.retryAfter().compareTo(longestWait) <= 0))
                .build();
    }
}
