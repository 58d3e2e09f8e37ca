package org.scimgate.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The tutorial's lookup, kept as a named option for compatibility:
 * {@code GET /api/v2/scim/events?eventType=USER&createdAfter=…&pageSize=10}, first item's id. The
 * real platform has no such endpoint; use {@code audit} against Genesys Cloud.
 */
class ScimEventsCorrelator extends HttpCorrelator {

    ScimEventsCorrelator(GenesysHttp http, ObjectMapper json, Clock clock) {
        super(http, json, clock);
    }

    @Override
    public Optional<String> correlate(CorrelationQuery query) {
        String after = eventTime(query).toString();
        String path = "/api/v2/scim/events?eventType=USER&createdAfter="
                + URLEncoder.encode(after, StandardCharsets.UTF_8) + "&pageSize=10";
        JsonNode first = call("GET", path, null, "the SCIM events endpoint").path("items").path(0);
        return Optional.ofNullable(first.path("id").asText(null));
    }
}
