package org.scimgate.siem;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Posts a batch over HTTP; only a 2xx counts as delivered. A circuit breaker stops the relay from
 * hammering a SIEM that is down: while it is open, batches fail at once and wait for their retry.
 */
abstract class HttpSink implements SiemSink {

    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;
    private final CircuitBreaker circuitBreaker;

    HttpSink(HttpClient http, URI endpoint, Duration timeout, CircuitBreaker circuitBreaker) {
        this.http = http;
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.circuitBreaker = circuitBreaker;
    }

    abstract String body(List<? extends SiemEvent> records) throws IOException;

    abstract HttpRequest.Builder headers(HttpRequest.Builder request);

    @Override
    public void deliver(List<? extends SiemEvent> records) throws SiemDeliveryFailed {
        HttpRequest request;
        try {
            request = headers(HttpRequest.newBuilder(endpoint).timeout(timeout))
                    .POST(HttpRequest.BodyPublishers.ofString(body(records))).build();
        } catch (IOException e) {
            throw new SiemDeliveryFailed("could not serialise the batch", e);
        }
        try {
            HttpResponse<String> response = circuitBreaker.executeCheckedSupplier(() -> {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 500 || r.statusCode() == 429) {
                    throw new IOException("the SIEM answered " + r.statusCode());
                }
                return r;
            });
            if (response.statusCode() / 100 != 2) {
                throw new SiemDeliveryFailed("the SIEM answered " + response.statusCode());
            }
        } catch (CallNotPermittedException e) {
            throw new SiemDeliveryFailed("the SIEM circuit breaker is open after repeated failures", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiemDeliveryFailed("interrupted while sending to the SIEM", e);
        } catch (SiemDeliveryFailed e) {
            throw e;
        } catch (Throwable e) {
            throw new SiemDeliveryFailed("the SIEM is unreachable: " + e.getMessage(), e);
        }
    }
}
