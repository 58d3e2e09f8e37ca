package org.scimgate.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The real source of provisioning metadata: the Audit API's realtime query
 * ({@code POST /api/v2/audits/query/realtime}, last 14 days, permission {@code audits:audit:view}),
 * finding the Directory service's Create entry for the user.
 */
class AuditApiCorrelator extends HttpCorrelator {

    AuditApiCorrelator(GenesysHttp http, ObjectMapper json, Clock clock) {
        super(http, json, clock);
    }

    @Override
    public Optional<String> correlate(CorrelationQuery query) {
        Instant from = eventTime(query).minus(Duration.ofMinutes(5));
        ObjectNode body = json.createObjectNode();
        body.put("interval", from + "/" + now().plus(Duration.ofMinutes(1)));
        body.put("serviceName", "Directory");
        var filters = body.putArray("filters");
        filters.addObject().put("property", "EntityType").put("value", "User");
        filters.addObject().put("property", "Action").put("value", "Create");
        if (query.scimUserId() != null) {
            filters.addObject().put("property", "EntityId").put("value", query.scimUserId());
        }
        body.putArray("sort").addObject().put("name", "Timestamp").put("sortOrder", "descending");
        body.put("pageNumber", 1);
        body.put("pageSize", 25);
        JsonNode result = call("POST", "/api/v2/audits/query/realtime", body.toString(), "the Audit API");
        for (JsonNode entry : result.path("entities")) {
            JsonNode entity = entry.path("entity");
            boolean sameUser = (query.scimUserId() != null && query.scimUserId().equals(entity.path("id").asText(null)))
                    || (query.userName() != null && query.userName().equalsIgnoreCase(entity.path("name").asText("")));
            if (sameUser && entry.hasNonNull("id")) {
                return Optional.of(entry.get("id").asText());
            }
        }
        return Optional.empty();
    }
}
