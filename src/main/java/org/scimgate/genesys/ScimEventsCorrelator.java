package org.scimgate.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The tutorial's lookup, kept as a named option for compatibility:
 * {@code GET /api/v2/scim/events?eventType=USER&createdAfter=…&pageSize=10}, first item's id. The
 * real platform has no such endpoint; use {@code audit} against Genesys Cloud.
 */
class ScimEventsCorrelator implements Correlator {

    private final GenesysHttp http;
    private final ObjectMapper json;
    private final Clock clock;

    ScimEventsCorrelator(GenesysHttp http, ObjectMapper json, Clock clock) {
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Optional<String> correlate(CorrelationQuery query) {
        String after = (query.eventTime() == null ? clock.instant() : query.eventTime()).toString();
        String path = "/api/v2/scim/events?eventType=USER&createdAfter="
                + URLEncoder.encode(after, StandardCharsets.UTF_8) + "&pageSize=10";
        try {
            JsonNode first = json.readTree(http.call("GET", path, null)).path("items").path(0);
            return Optional.ofNullable(first.path("id").asText(null));
        } catch (IOException e) {
            throw new GenesysUnavailable("the SCIM events endpoint answered with something that is not JSON", 200, null);
        }
    }
}
