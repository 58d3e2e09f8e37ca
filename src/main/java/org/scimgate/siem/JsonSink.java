package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/** The tutorial's format: a batch as one JSON array per request, of records in the configured schema. */
class JsonSink extends HttpSink {

    private final ObjectMapper json;
    private final SiemMapping mapping;

    JsonSink(HttpClient http, URI endpoint, Duration timeout, CircuitBreaker circuitBreaker, ObjectMapper json) {
        this(http, endpoint, timeout, circuitBreaker, json, new NativeMapping(json));
    }

    JsonSink(HttpClient http, URI endpoint, Duration timeout, CircuitBreaker circuitBreaker, ObjectMapper json,
             SiemMapping mapping) {
        super(http, endpoint, timeout, circuitBreaker);
        this.json = json;
        this.mapping = mapping;
    }

    @Override
    String body(List<? extends SiemEvent> records) throws IOException {
        var array = json.createArrayNode();
        records.forEach(r -> array.add(mapping.map(r)));
        return json.writeValueAsString(array);
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
