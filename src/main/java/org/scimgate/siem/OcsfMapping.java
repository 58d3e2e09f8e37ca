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
 * for attaching IAM policies and deprecated). {@code metadata.uid} is the decision id.
 *
 * <p>A remediation outcome is an Account Change too, activity 5 Disable for {@code deactivate}
 * (OCSF 1.8's enum: 1 Create, 2 Enable, 3 Password Change, 4 Password Reset, 5 Disable, 6 Delete),
 * status 1 Success when done, 2 Failure when it failed, else 99 Other with the action's status;
 * {@code metadata.correlation_uid} is the decision it acted on. OCSF's Remediation category (7) is
 * for files, processes and networks of a compromised device, not for an account.
 *
 * <p>A policy change step is an Entity Management event ({@code class_uid} 3004, same category) on a
 * managed entity of type 5 Policy: the schema describes the class as a create, read, update or
 * delete of a managed entity by a user at a management console, and {@code managed_entity} lists
 * Policy among its types. Account Change's Attach/Detach Policy is a policy attached to a user;
 * Discovery's Config State and Device Config State Change report a device's configuration, not an
 * edit. {@code proposed} is 1 Create (the candidate, not yet applied), {@code live} 3 Update (the
 * ruleset in force now is the candidate), {@code approved}, {@code rejected} and {@code withdrawn}
 * 99 Other with the step as the activity's name; {@code actor.user.name} is who took the step,
 * {@code comment} their reason, {@code metadata.correlation_uid} the proposal.
 *
 * <p>A chain checkpoint is a Base Event (class 0, activity 99 Other) whose {@code metadata.uid} is
 * the checkpoint's. Each record's {@code metadata.uid} is its own event id.
 */
final class OcsfMapping implements SiemMapping, SiemEventKinds<JsonNode> {

    static final String VERSION = "1.8.0";
    static final int ACCOUNT_CHANGE = 3001;
    static final int IAM = 3;
    static final int ENTITY_MANAGEMENT = 3004;
    static final int DISABLE = 5;

    private final ObjectMapper json;

    OcsfMapping(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public JsonNode map(SiemEvent event) {
        return write(event);
    }

    @Override
    public ObjectNode decision(SiemRecord record) {
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

    @Override
    public ObjectNode remediation(RemediationOutcome outcome) {
        boolean disable = "deactivate".equals(outcome.action());
        int activity = disable ? DISABLE : 99;
        String activityName = disable ? "Disable" : outcome.action();
        ObjectNode ocsf = json.createObjectNode();
        ocsf.put("class_uid", ACCOUNT_CHANGE).put("class_name", "Account Change");
        ocsf.put("category_uid", IAM).put("category_name", "Identity & Access Management");
        ocsf.put("activity_id", activity).put("activity_name", activityName);
        ocsf.put("type_uid", ACCOUNT_CHANGE * 100L + activity).put("type_name", "Account Change: " + activityName);
        ocsf.put("time", Instant.parse(outcome.time()).toEpochMilli());
        int severity = outcome.failed() ? 3 : 1;
        ocsf.put("severity_id", severity).put("severity", severity == 3 ? "Medium" : "Informational");
        int status = outcome.done() ? 1 : outcome.failed() ? 2 : 99;
        ocsf.put("status_id", status).put("status", switch (status) {
            case 1 -> "Success";
            case 2 -> "Failure";
            default -> outcome.status();
        });
        if (outcome.httpStatus() != null) {
            ocsf.put("status_code", outcome.httpStatus().toString());
        }
        putIfPresent(ocsf, "status_detail", outcome.answer());
        ocsf.put("message", outcome.action() + " " + outcome.status());
        ObjectNode metadata = metadata(ocsf, outcome.eventId());
        if (outcome.decisionId() != null) {
            metadata.put("correlation_uid", outcome.decisionId().toString());
        }
        ObjectNode user = ocsf.putObject("user");
        putIfPresent(user, "uid", outcome.userId());
        putIfPresent(user, "name", outcome.userName());
        ObjectNode unmapped = ocsf.putObject("unmapped");
        unmapped.put("source", RemediationOutcome.TYPE);
        putIfPresent(unmapped, "action_id", outcome.actionId());
        unmapped.put("action", outcome.action());
        unmapped.put("status", outcome.status());
        unmapped.put("attempts", outcome.attempts());
        outcome.codes().forEach(unmapped.putArray("codes")::add);
        return ocsf;
    }

    @Override
    public ObjectNode policyChange(PolicyChange change) {
        int activity = switch (change.event()) {
            case "proposed" -> 1;
            case "live" -> 3;
            default -> 99;
        };
        String activityName = switch (activity) {
            case 1 -> "Create";
            case 3 -> "Update";
            default -> change.event();
        };
        ObjectNode ocsf = json.createObjectNode();
        ocsf.put("class_uid", ENTITY_MANAGEMENT).put("class_name", "Entity Management");
        ocsf.put("category_uid", IAM).put("category_name", "Identity & Access Management");
        ocsf.put("activity_id", activity).put("activity_name", activityName);
        ocsf.put("type_uid", ENTITY_MANAGEMENT * 100L + activity).put("type_name", "Entity Management: " + activityName);
        ocsf.put("time", Instant.parse(change.timestamp()).toEpochMilli());
        int severity = "live".equals(change.event()) ? 2 : 1;
        ocsf.put("severity_id", severity).put("severity", severity == 2 ? "Low" : "Informational");
        ocsf.put("status_id", 1).put("status", "Success");
        ocsf.put("message", "policy change " + change.proposalId() + " " + change.event());
        putIfPresent(ocsf, "comment", change.reason());
        ObjectNode metadata = metadata(ocsf, change.eventId());
        putIfPresent(metadata, "correlation_uid", change.proposalId());
        if (change.actor() != null) {
            ocsf.putObject("actor").putObject("user").put("name", change.actor());
        }
        ObjectNode entity = ocsf.putObject("entity");
        entity.put("type_id", 5).put("type", "Policy");
        entity.put("name", "scimgate ruleset");
        putIfPresent(entity, "version", change.candidateVersion());
        ObjectNode policy = entity.putObject("policy");
        policy.put("name", "scimgate ruleset");
        putIfPresent(policy, "uid", change.candidateVersion());
        putIfPresent(policy, "version", change.candidateVersion());
        policy.put("is_applied", "live".equals(change.event()));
        ObjectNode unmapped = ocsf.putObject("unmapped");
        unmapped.put("source", change.type());
        unmapped.put("seq", change.seq());
        putIfPresent(unmapped, "proposal_id", change.proposalId());
        putIfPresent(unmapped, "base_version", change.baseVersion());
        return ocsf;
    }

    /** A notice of a type this mapping does not know: a Base Event with its id and the sender's content. */
    @Override
    public ObjectNode notice(SiemNotice notice) {
        ObjectNode ocsf = baseEvent(notice.type(), notice.timestamp());
        ObjectNode metadata = metadata(ocsf, notice.eventId());
        if (notice.decisionId() != null) {
            metadata.put("correlation_uid", notice.decisionId().toString());
        }
        ocsf.putObject("unmapped").put("source", notice.type()).set("detail", notice.detail());
        return ocsf;
    }

    @Override
    public ObjectNode checkpoint(ChainCheckpoint checkpoint) {
        ObjectNode ocsf = baseEvent(checkpoint.type(), checkpoint.timestamp());
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

    /** OCSF's Base Event (class 0, activity 99 Other, informational), for what has no class of its own. */
    private ObjectNode baseEvent(String activity, String timestamp) {
        ObjectNode ocsf = json.createObjectNode();
        ocsf.put("class_uid", 0).put("class_name", "Base Event");
        ocsf.put("category_uid", 0).put("category_name", "Uncategorized");
        ocsf.put("activity_id", 99).put("activity_name", activity);
        ocsf.put("type_uid", 99).put("type_name", "Base Event: Other");
        ocsf.put("time", Instant.parse(timestamp).toEpochMilli());
        ocsf.put("severity_id", 1).put("severity", "Informational");
        return ocsf;
    }

}
