package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Elastic Common Schema. A decision is an {@code iam} event about the account judged
 * ({@code user.target.*}; {@code user.*} would be the actor): {@code event.type} says the change
 * ({@code creation}, {@code change}, {@code deletion}, else {@code info}), {@code event.outcome}
 * whether the service let it through, {@code rule.*} the rules that found a violation (arrays when
 * several did). {@code event.id} is the decision id. What ECS has no field for stays under
 * {@code scimgate.*}. A chain checkpoint is a {@code state} event whose id is the checkpoint's.
 */
final class EcsMapping implements SiemMapping {

    static final String DATASET = "scimgate.decision";

    private final ObjectMapper json;

    EcsMapping(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public JsonNode map(SiemEvent event) {
        return event instanceof SiemRecord record ? decision(record) : checkpoint((ChainCheckpoint) event);
    }

    private ObjectNode decision(SiemRecord record) {
        Verdict verdict = Verdict.of(record);
        ObjectNode ecs = json.createObjectNode();
        ecs.put("@timestamp", record.receivedAt());
        ecs.put("message", verdict.reason());
        ObjectNode event = ecs.putObject("event");
        event.put("kind", "event");
        event.putArray("category").add("iam");
        event.putArray("type").add("user").add(switch (verdict.change()) {
            case CREATE -> "creation";
            case UPDATE -> "change";
            case DELETE -> "deletion";
            case OTHER -> "info";
        });
        event.put("outcome", verdict.allowed() ? "success" : "failure");
        event.put("reason", verdict.reason());
        event.put("id", record.decisionId().toString());
        event.put("code", verdict.codes().isEmpty() ? record.outcome() : verdict.codes().get(0));
        event.put("action", record.eventType());
        event.put("dataset", DATASET);
        event.put("created", record.timestamp());
        ObjectNode target = ecs.putObject("user").putObject("target");
        putIfPresent(target, "id", record.userId());
        putIfPresent(target, "name", record.userName());
        if (record.userName() != null && record.userName().contains("@")) {
            target.put("domain", record.userName().substring(record.userName().lastIndexOf('@') + 1));
        }
        ObjectNode rule = ecs.putObject("rule");
        rule.put("ruleset", "scimgate");
        putIfPresent(rule, "version", record.rulesetVersion());
        if (!verdict.codes().isEmpty()) {
            verdict.codes().forEach(rule.putArray("id")::add);
        }
        if (!verdict.rules().isEmpty()) {
            verdict.rules().forEach(rule.putArray("name")::add);
        }
        ecs.putObject("service").put("name", SiemRecord.SOURCE);
        ObjectNode own = ecs.putObject("scimgate");
        own.put("source", record.source());
        own.put("outcome", record.outcome());
        putIfPresent(own, "correlation_id", record.correlationId());
        putIfPresent(own, "webhook_id", record.webhookId());
        putIfPresent(own, "event_timestamp", record.eventTimestamp());
        own.set("violations", record.violations() == null ? json.createArrayNode() : record.violations());
        if (record.shadow() != null) {
            own.set("shadow", record.shadow());
        }
        return ecs;
    }

    private ObjectNode checkpoint(ChainCheckpoint checkpoint) {
        ObjectNode ecs = json.createObjectNode();
        ecs.put("@timestamp", checkpoint.timestamp());
        ecs.put("message", "audit chain head at position " + checkpoint.position());
        ObjectNode event = ecs.putObject("event");
        event.put("kind", "state");
        event.putArray("category").add("database");
        event.putArray("type").add("info");
        event.put("id", checkpoint.eventId());
        event.put("action", checkpoint.type());
        event.put("dataset", "scimgate.chain_head");
        ecs.putObject("service").put("name", SiemRecord.SOURCE);
        ecs.putObject("scimgate").putObject("chain").put("position", checkpoint.position()).put("hash", checkpoint.hash());
        return ecs;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
