package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/** The tutorial's format: the audit payload as JSON, a batch as one JSON array per request. */
class JsonSink extends HttpSink {

    private final ObjectMapper json;

    JsonSink(HttpClient http, URI endpoint, Duration timeout, CircuitBreaker circuitBreaker, ObjectMapper json) {
        super(http, endpoint, timeout, circuitBreaker);
        this.json = json;
    }

    @Override
    String body(List<? extends SiemEvent> records) throws IOException {
        return json.writeValueAsString(records);
    }

    @Override
    HttpRequest.Builder headers(HttpRequest.Builder request) {
        return request.header("Content-Type", "application/json");
    }

    @Override
    public String name() {
        return "json";
    }
}
