package org.scimgate.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/** What the two ways of asking Genesys for its record share: the client, JSON, the clock, and one JSON call. */
abstract class HttpCorrelator implements Correlator {

    protected final ObjectMapper json;
    private final GenesysHttp http;
    private final Clock clock;

    HttpCorrelator(GenesysHttp http, ObjectMapper json, Clock clock) {
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    protected Instant now() {
        return clock.instant();
    }

    /** When the event happened, or now when the caller does not know. */
    protected Instant eventTime(CorrelationQuery query) {
        return query.eventTime() == null ? clock.instant() : query.eventTime();
    }

    /** Calls Genesys and reads its answer; an answer that is not JSON means Genesys could not be asked. */
    protected JsonNode call(String method, String path, String body, String endpoint) {
        try {
            return json.readTree(http.call(method, path, body));
        } catch (IOException e) {
            throw new GenesysUnavailable(endpoint + " answered with something that is not JSON", 200, null);
        }
    }
}
