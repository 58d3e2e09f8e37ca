package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splunk HTTP Event Collector: {@code POST <endpoint>/services/collector/event} with
 * {@code Authorization: Splunk <token>}, a batch as concatenated event objects. The decision id is
 * the event's id (indexed field {@code event_id}) so a redelivered event can be deduplicated.
 * A 200 from HEC means "looks valid", not "indexed". HEC answers 400 both for an event it cannot
 * take (code 6, invalid data format; 5, 12, 13) and for its own set-up (code 7, incorrect index;
 * 10 and 11, data channel): only the former is a record's fault.
 * <p>
 * Every request names this sink's channel ({@code X-Splunk-Request-Channel}, a UUID made when the
 * sink is built: one per relay instance). When the token has indexer acknowledgement on, HEC's
 * answer carries an {@code ackId}, and the batch counts as delivered only once
 * {@link HecAcknowledgements} has it confirmed; without an {@code ackId}, the 200 is all there is.
 */
class SplunkHecSink extends HttpSink {

    private static final Logger LOG = LoggerFactory.getLogger(SplunkHecSink.class);

    static final String PATH = "/services/collector/event";

    private final ObjectMapper json;
    private final String token;
    private final SiemMapping mapping;
    private final UUID channel = UUID.randomUUID();
    private final HecAcknowledgements acknowledgements;

    SplunkHecSink(HttpClient http, URI endpoint, Duration timeout, CircuitBreaker circuitBreaker, ObjectMapper json,
                  String token) {
        this(http, endpoint, timeout, circuitBreaker, json, token, new NativeMapping(json));
    }

    SplunkHecSink(HttpClient http, URI endpoint, Duration timeout, CircuitBreaker circuitBreaker, ObjectMapper json,
                  String token, SiemMapping mapping) {
        this(http, endpoint, timeout, circuitBreaker, json, token, mapping,
                HecAcknowledgements.Wait.of(SiemSettings.DEFAULT_HEC_ACK_TIMEOUT), new SimpleMeterRegistry());
    }

    SplunkHecSink(HttpClient http, URI endpoint, Duration timeout, CircuitBreaker circuitBreaker, ObjectMapper json,
                  String token, SiemMapping mapping, HecAcknowledgements.Wait acknowledgementWait, MeterRegistry meters) {
        super(http, collector(endpoint), timeout, circuitBreaker);
        this.json = json;
        this.token = token;
        this.mapping = mapping;
        this.acknowledgements = new HecAcknowledgements(http, URI.create(base(endpoint)), token, channel, timeout, acknowledgementWait,
                json, meters);
        LOG.info("Splunk HEC requests go on channel {}; a batch HEC answers with an ackId counts as delivered once "
                + "indexed (waiting up to {} ms)", channel, acknowledgementWait.timeout().toMillis());
    }

    private static URI collector(URI endpoint) {
        return URI.create(base(endpoint) + PATH);
    }

    /** The endpoint without the event path, where {@code /services/collector/...} paths start. */
    private static String base(URI endpoint) {
        String base = endpoint.toString().replaceAll("/+$", "");
        return base.endsWith(PATH) ? base.substring(0, base.length() - PATH.length()) : base;
    }

    /** The channel every request of this sink names, for operators to find in Splunk. */
    UUID channel() {
        return channel;
    }

    @Override
    public String destination() {
        return super.destination() + " (channel " + channel + ")";
    }

    /**
     * A 2xx is delivered only when it is HEC's whole success answer ({@code "code":0}): a proxy's page,
     * or an answer cut short where the connection closing ends the body, is not. With an
     * {@code ackId}, only once HEC confirms it; without one, at once.
     */
    @Override
    void accepted(HttpResponse<String> response) throws SiemDeliveryFailed {
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException | RuntimeException notJson) {
            answer = null;
        }
        if (answer == null || !answer.isObject() || !answer.path("code").isIntegralNumber()
                || answer.path("code").asInt() != 0) {
            throw new SiemDeliveryFailed(SiemDeliveryFailed.Kind.SETUP_REFUSED, answer(response) + ", not as Splunk HEC "
                    + "answers a batch it took ({\"text\":\"Success\",\"code\":0}): is SIEM_ENDPOINT HEC's address?", null);
        }
        JsonNode ackId = answer.path("ackId");
        if (ackId.isIntegralNumber()) {
            acknowledgements.confirm(ackId.asLong());
        }
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
        return request.header("Authorization", "Splunk " + token).header("Content-Type", "application/json")
                .header(HecAcknowledgements.CHANNEL_HEADER, channel.toString());
    }

    @Override
    public String name() {
        return "splunk-hec";
    }
}
