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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts a batch over HTTP; only a 2xx counts as delivered. One deadline ({@code timeout}) covers
 * the whole exchange, body included: {@link HttpRequest#timeout} alone ends at the response
 * headers, and a SIEM that stalls mid-body would hold the relay (and shutdown) for ever. A circuit
 * breaker stops the relay from hammering a SIEM that is down: while it is open, batches fail at
 * once and wait for their retry.
 */
abstract class HttpSink implements SiemSink {

    private static final int ANSWER_LIMIT = 500;

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

    /** The endpoint without a user-info part or a query, either of which could carry a credential. */
    @Override
    public String destination() {
        String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
        return endpoint.getScheme() + "://" + endpoint.getHost() + port + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
    }

    abstract String body(List<? extends SiemEvent> records) throws IOException;

    abstract HttpRequest.Builder headers(HttpRequest.Builder request);

    /**
     * The SIEM answered 2xx. Returning counts the batch as delivered; a format whose 2xx does not
     * yet mean that (Splunk HEC with indexer acknowledgement) waits here or throws.
     */
    void accepted(HttpResponse<String> response) throws SiemDeliveryFailed {
    }

    /**
     * Whose fault a non-2xx answer that is not 5xx, 429 or 408 is. A redirect is the endpoint's
     * set-up: it is never followed (a POST redirected may arrive as an empty GET) nor counted as an outage.
     */
    SiemDeliveryFailed.Kind classify(int status, String body) {
        if (status / 100 == 3) {
            return SiemDeliveryFailed.Kind.SETUP_REFUSED;
        }
        return switch (status) {
            case 400, 413, 422 -> SiemDeliveryFailed.Kind.RECORDS_REFUSED;
            case 401, 403, 404, 405, 407, 411, 415 -> SiemDeliveryFailed.Kind.SETUP_REFUSED;
            default -> SiemDeliveryFailed.Kind.UNAVAILABLE;
        };
    }

    @Override
    public void deliver(List<? extends SiemEvent> records) throws SiemDeliveryFailed {
        HttpRequest request;
        try {
            request = headers(HttpRequest.newBuilder(endpoint).timeout(timeout))
                    .POST(HttpRequest.BodyPublishers.ofString(body(records))).build();
        } catch (IOException e) {
            throw new SiemDeliveryFailed("could not serialise the batch", e);
        }
        HttpResponse<String> response;
        try {
            response = circuitBreaker.executeCheckedSupplier(() -> {
                HttpResponse<String> r = exchange(http, request, timeout);
                if (r.statusCode() >= 500 || r.statusCode() == 429 || r.statusCode() == 408) {
                    throw new IOException(answer(r));
                }
                return r;
            });
        } catch (CallNotPermittedException e) {
            throw new SiemDeliveryFailed("the SIEM circuit breaker is open after repeated failures", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiemDeliveryFailed("interrupted while sending to the SIEM", e);
        } catch (Throwable e) {
            throw new SiemDeliveryFailed("the SIEM is unreachable or unavailable: " + e.getMessage(), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new SiemDeliveryFailed(classify(response.statusCode(), response.body()), answer(response), null);
        }
        accepted(response);
    }

    /** Sends and reads the whole answer within {@code deadline}, or gives up and cancels the exchange. */
    static HttpResponse<String> exchange(HttpClient http, HttpRequest request, Duration deadline)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException("no complete answer within " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    static String answer(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().strip();
        if (body.length() > ANSWER_LIMIT) {
            body = body.substring(0, ANSWER_LIMIT) + "…";
        }
        return "the SIEM answered " + response.statusCode() + (body.isEmpty() ? "" : ": " + body);
    }
}
