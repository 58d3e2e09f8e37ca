package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * OCSF 1.8: a decision is an Account Change ({@code class_uid} 3001, Identity &amp; Access
 * Management, {@code category_uid} 3) on the account in {@code user}; {@code activity_id} is the
 * change judged (1 Create, 6 Delete, 99 Other for an update, 0 Unknown) and {@code type_uid} is
 * {@code class_uid * 100 + activity_id}. The verdict is in the {@code security_control} profile:
 * {@code action_id} 1 Allowed or 2 Denied, {@code disposition_id} 1 Allowed or 2 Blocked, and
 * {@code authorizations[]} names the ruleset behind it (not the class's own {@code policy}, which is
 * for attaching IAM policies and deprecated). {@code metadata.uid} is the decision id. A chain
 * checkpoint is a Base Event (class 0, activity 99 Other) whose {@code metadata.uid} is the checkpoint's.
 */
final class OcsfMapping implements SiemMapping {

    static final String VERSION = "1.8.0";
    static final int ACCOUNT_CHANGE = 3001;
    static final int IAM = 3;

    private final ObjectMapper json;

    OcsfMapping(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public JsonNode map(SiemEvent event) {
        return event instanceof SiemRecord record ? decision(record) : checkpoint((ChainCheckpoint) event);
    }

    private ObjectNode decision(SiemRecord record) {
        Verdict verdict = Verdict.of(record);
        int activity = switch (verdict.change()) {
            case CREATE -> 1;
            case DELETE -> 6;
            case UPDATE -> 99;
            case OTHER -> 0;
        };
        String activityName = switch (verdict.change()) {
            case CREATE -> "Create";
            case DELETE -> "Delete";
            case UPDATE -> "Update";
            case OTHER -> "Unknown";
        };
        ObjectNode ocsf = json.createObjectNode();
        ocsf.put("class_uid", ACCOUNT_CHANGE).put("class_name", "Account Change");
        ocsf.put("category_uid", IAM).put("category_name", "Identity & Access Management");
        ocsf.put("activity_id", activity).put("activity_name", activityName);
        ocsf.put("type_uid", ACCOUNT_CHANGE * 100L + activity).put("type_name", "Account Change: " + activityName);
        ocsf.put("time", Instant.parse(record.receivedAt()).toEpochMilli());
        int severity = !verdict.allowed() ? 3 : verdict.codes().isEmpty() ? 1 : 2;
        ocsf.put("severity_id", severity).put("severity", switch (severity) {
            case 3 -> "Medium";
            case 2 -> "Low";
            default -> "Informational";
        });
        ocsf.put("status_id", verdict.allowed() ? 1 : 2).put("status", verdict.allowed() ? "Success" : "Failure");
        ocsf.put("status_detail", record.outcome());
        ocsf.put("message", verdict.reason());
        ObjectNode metadata = metadata(ocsf, record.decisionId().toString());
        metadata.putArray("profiles").add("security_control");
        if (record.correlationId() != null && !SiemRecord.UNKNOWN_EVENT.equals(record.correlationId())) {
            metadata.put("correlation_uid", record.correlationId());
        }
        ObjectNode user = ocsf.putObject("user");
        putIfPresent(user, "uid", record.userId());
        putIfPresent(user, "name", record.userName());
        ocsf.put("action_id", verdict.allowed() ? 1 : 2).put("action", verdict.allowed() ? "Allowed" : "Denied");
        ocsf.put("disposition_id", verdict.allowed() ? 1 : 2).put("disposition", verdict.allowed() ? "Allowed" : "Blocked");
        ObjectNode authorization = ocsf.putArray("authorizations").addObject();
        authorization.put("decision", verdict.allowed() ? "allowed" : "denied");
        ObjectNode policy = authorization.putObject("policy");
        policy.put("name", "scimgate ruleset");
        putIfPresent(policy, "uid", record.rulesetVersion());
        putIfPresent(policy, "version", record.rulesetVersion());
        ObjectNode unmapped = ocsf.putObject("unmapped");
        unmapped.put("source", record.source());
        unmapped.put("event_type", record.eventType());
        putIfPresent(unmapped, "webhook_id", record.webhookId());
        unmapped.set("violations", record.violations() == null ? json.createArrayNode() : record.violations());
        if (record.shadow() != null) {
            unmapped.set("shadow", record.shadow());
        }
        return ocsf;
    }

    private ObjectNode checkpoint(ChainCheckpoint checkpoint) {
        ObjectNode ocsf = json.createObjectNode();
        ocsf.put("class_uid", 0).put("class_name", "Base Event");
        ocsf.put("category_uid", 0).put("category_name", "Uncategorized");
        ocsf.put("activity_id", 99).put("activity_name", checkpoint.type());
        ocsf.put("type_uid", 99).put("type_name", "Base Event: Other");
        ocsf.put("time", Instant.parse(checkpoint.timestamp()).toEpochMilli());
        ocsf.put("severity_id", 1).put("severity", "Informational");
        ocsf.put("status_id", 1).put("status", "Success");
        ocsf.put("message", "audit chain head at position " + checkpoint.position());
        metadata(ocsf, checkpoint.eventId());
        ocsf.putObject("unmapped").put("position", checkpoint.position()).put("hash", checkpoint.hash());
        return ocsf;
    }

    private static ObjectNode metadata(ObjectNode ocsf, String uid) {
        ObjectNode metadata = ocsf.putObject("metadata");
        metadata.put("version", VERSION);
        metadata.put("uid", uid);
        metadata.putObject("product").put("name", SiemRecord.SOURCE).put("vendor_name", SiemRecord.SOURCE);
        return metadata;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
