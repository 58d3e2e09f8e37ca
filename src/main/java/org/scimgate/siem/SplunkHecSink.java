package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Splunk HTTP Event Collector: {@code POST <endpoint>/services/collector/event} with
 * {@code Authorization: Splunk <token>}, a batch as concatenated event objects. The decision id is
 * the event's id (indexed field {@code event_id}) so a redelivered event can be deduplicated.
 * A 200 from HEC means "looks valid", not "indexed". HEC answers 400 both for an event it cannot
 * take (code 6, invalid data format; 5, 12, 13) and for its own set-up (code 7, incorrect index;
 * 10 and 11, data channel): only the former is a record's fault.
 */
class SplunkHecSink extends HttpSink {

    static final String PATH = "/services/collector/event";

    private final ObjectMapper json;
    private final String token;
    private final SiemMapping mapping;

    SplunkHecSink(HttpClient http, URI endpoint, Duration timeout, CircuitBreaker circuitBreaker, ObjectMapper json,
                  String token) {
        this(http, endpoint, timeout, circuitBreaker, json, token, new NativeMapping(json));
    }

    SplunkHecSink(HttpClient http, URI endpoint, Duration timeout, CircuitBreaker circuitBreaker, ObjectMapper json,
                  String token, SiemMapping mapping) {
        super(http, collector(endpoint), timeout, circuitBreaker);
        this.json = json;
        this.token = token;
        this.mapping = mapping;
    }

    private static URI collector(URI endpoint) {
        String base = endpoint.toString();
        return base.endsWith(PATH) ? endpoint : URI.create(base.replaceAll("/+$", "") + PATH);
    }

    @Override
    String body(List<? extends SiemEvent> records) throws IOException {
        StringBuilder body = new StringBuilder();
        for (SiemEvent record : records) {
            ObjectNode event = json.createObjectNode();
            Instant time = record.eventTime() == null ? Instant.now() : Instant.parse(record.eventTime());
            event.put("time", time.toEpochMilli() / 1000.0);
            event.put("source", SiemRecord.SOURCE);
            event.put("sourcetype", "scimgate:decision");
            event.putObject("fields").put("event_id", record.eventId());
            event.set("event", mapping.map(record));
            body.append(json.writeValueAsString(event)).append('\n');
        }
        return body.toString();
    }

    @Override
    SiemDeliveryFailed.Kind classify(int status, String body) {
        if (status == 400) {
            try {
                int code = json.readTree(body).path("code").asInt(-1);
                if (code == 7 || code == 10 || code == 11) {
                    return SiemDeliveryFailed.Kind.SETUP_REFUSED;
                }
            } catch (IOException | RuntimeException notJson) {
                // not HEC's JSON answer: judge by the status alone
            }
        }
        return super.classify(status, body);
    }

    @Override
    HttpRequest.Builder headers(HttpRequest.Builder request) {
        return request.header("Authorization", "Splunk " + token).header("Content-Type", "application/json");
    }

    @Override
    public String name() {
        return "splunk-hec";
    }
}
