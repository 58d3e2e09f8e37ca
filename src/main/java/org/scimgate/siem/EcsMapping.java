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
 * {@code scimgate.*}. A remediation outcome is an {@code iam} event too ({@code event.type: [user,
 * change]}, {@code event.action} the action, e.g. {@code deactivate}; {@code event.outcome}
 * {@code unknown} while nothing was changed), carrying the decision it acted on in
 * {@code scimgate.decision_id}. A policy change step is a {@code configuration} {@code change} whose
 * actor is {@code user.*} and whose {@code rule.version} is the candidate ruleset. A chain
 * checkpoint is a {@code state} event whose id is the checkpoint's. Each record's {@code event.id}
 * is its own event id.
 */
final class EcsMapping implements SiemMapping, SiemEventKinds<JsonNode> {

    static final String DATASET = "scimgate.decision";

    private final ObjectMapper json;

    EcsMapping(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public JsonNode map(SiemEvent event) {
        return write(event);
    }

    @Override
    public ObjectNode decision(SiemRecord record) {
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
        targetUser(ecs, record.userId(), record.userName());
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

    @Override
    public ObjectNode remediation(RemediationOutcome outcome) {
        ObjectNode ecs = json.createObjectNode();
        ecs.put("@timestamp", outcome.time());
        ecs.put("message", outcome.action() + " " + outcome.status() + (outcome.answer() == null ? "" : ": " + outcome.answer()));
        ObjectNode event = ecs.putObject("event");
        event.put("kind", "event");
        event.putArray("category").add("iam");
        event.putArray("type").add("user").add("change");
        event.put("action", outcome.action());
        event.put("outcome", outcome.outcome());
        putIfPresent(event, "reason", outcome.answer());
        event.put("id", outcome.eventId());
        event.put("code", outcome.status());
        event.put("dataset", "scimgate.remediation");
        targetUser(ecs, outcome.userId(), outcome.userName());
        if (!outcome.codes().isEmpty()) {
            ObjectNode rule = ecs.putObject("rule");
            rule.put("ruleset", "scimgate");
            outcome.codes().forEach(rule.putArray("id")::add);
        }
        ecs.putObject("service").put("name", SiemRecord.SOURCE);
        ObjectNode own = ecs.putObject("scimgate");
        if (outcome.decisionId() != null) {
            own.put("decision_id", outcome.decisionId().toString());
        }
        ObjectNode remediation = own.putObject("remediation");
        putIfPresent(remediation, "action_id", outcome.actionId());
        remediation.put("status", outcome.status());
        remediation.put("attempts", outcome.attempts());
        if (outcome.httpStatus() != null) {
            remediation.put("http_status", outcome.httpStatus());
        }
        return ecs;
    }

    @Override
    public ObjectNode policyChange(PolicyChange change) {
        ObjectNode ecs = json.createObjectNode();
        ecs.put("@timestamp", change.timestamp());
        ecs.put("message", "policy change " + change.proposalId() + " " + change.event());
        ObjectNode event = ecs.putObject("event");
        event.put("kind", "event");
        event.putArray("category").add("configuration");
        event.putArray("type").add("change");
        event.put("action", change.event());
        event.put("outcome", "success");
        putIfPresent(event, "reason", change.reason());
        event.put("id", change.eventId());
        event.put("dataset", "scimgate.policy_change");
        putIfPresent(ecs.putObject("user"), "name", change.actor());
        ObjectNode rule = ecs.putObject("rule");
        rule.put("ruleset", "scimgate");
        putIfPresent(rule, "version", change.candidateVersion());
        ecs.putObject("service").put("name", SiemRecord.SOURCE);
        ObjectNode own = ecs.putObject("scimgate").putObject("policy_change");
        own.put("seq", change.seq());
        putIfPresent(own, "proposal_id", change.proposalId());
        putIfPresent(own, "base_version", change.baseVersion());
        putIfPresent(own, "candidate_version", change.candidateVersion());
        return ecs;
    }

    /** A notice of a type this mapping does not know: an event with its id, its type and the sender's content. */
    @Override
    public ObjectNode notice(SiemNotice notice) {
        ObjectNode ecs = json.createObjectNode();
        ecs.put("@timestamp", notice.timestamp());
        ObjectNode event = ecs.putObject("event");
        event.put("kind", "event");
        event.put("id", notice.eventId());
        event.put("action", notice.type());
        ecs.putObject("service").put("name", SiemRecord.SOURCE);
        ObjectNode own = ecs.putObject("scimgate");
        if (notice.decisionId() != null) {
            own.put("decision_id", notice.decisionId().toString());
        }
        own.set(notice.type().replaceAll("[^A-Za-z0-9_]", "_"), notice.detail());
        return ecs;
    }

    @Override
    public ObjectNode checkpoint(ChainCheckpoint checkpoint) {
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

    /** The account judged or acted on: ECS's {@code user.target}, with the domain of an address-like name. */
    private static void targetUser(ObjectNode ecs, String id, String name) {
        ObjectNode target = ecs.putObject("user").putObject("target");
        putIfPresent(target, "id", id);
        putIfPresent(target, "name", name);
        if (name != null && name.contains("@")) {
            target.put("domain", name.substring(name.lastIndexOf('@') + 1));
        }
    }

}
