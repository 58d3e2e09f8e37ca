package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * ArcSight Common Event Format, as ArcSight, QRadar and Sentinel's CEF connector read it:
 * {@code CEF:0|scimgate|scimgate|version|SignatureID|Name|Severity|extensions}. The signature id is
 * the first violation's code (else the outcome), the severity 7 for a denied change, 4 for one let
 * through with violations, else 2. {@code externalId} is the decision id, {@code duser}/{@code duid}
 * the account judged, {@code act} the outcome. Every value goes through {@link CefEscaping}: no
 * input, however built, ends the record or adds a field. A remediation outcome has the signature
 * {@code remediation-<action>} (e.g. {@code remediation-deactivate}), {@code act} the action,
 * {@code outcome} success, failure or unknown, severity 7 when it failed, 5 when done, else 3, and the
 * decision it acted on in {@code cs1} ({@code decisionId}). A policy change step has the signature
 * {@code policy-change-<step>} (e.g. {@code policy-change-live}), {@code suser} who took it,
 * severity 5 when the ruleset went live, else 3. A chain checkpoint is a record of its own
 * ({@code audit-chain-head}). Each record's {@code externalId} is its own event id.
 */
final class CefMapping implements SiemMapping, SiemEventKinds<String> {

    static final String VENDOR = "scimgate";
    static final String PRODUCT = "scimgate";
    static final String VERSION = Objects.requireNonNullElse(CefMapping.class.getPackage().getImplementationVersion(), "dev");

    private final ObjectMapper json;

    CefMapping(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public JsonNode map(SiemEvent event) {
        return json.getNodeFactory().textNode(line(event));
    }

    String line(SiemEvent event) {
        return write(event);
    }

    @Override
    public String decision(SiemRecord record) {
        Verdict verdict = Verdict.of(record);
        String signature = verdict.codes().isEmpty() ? record.outcome() : verdict.codes().get(0);
        String name = "Account " + verdict.change().name().toLowerCase() + (verdict.allowed() ? " allowed" : " denied");
        int severity = !verdict.allowed() ? 7 : verdict.codes().isEmpty() ? 2 : 4;
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("rt", Instant.parse(record.receivedAt()).toEpochMilli());
        extensions.put("externalId", record.decisionId());
        extensions.put("cat", record.eventType());
        extensions.put("act", record.outcome());
        extensions.put("outcome", verdict.allowed() ? "success" : "failure");
        extensions.put("reason", verdict.reason());
        extensions.put("duser", record.userName());
        extensions.put("duid", record.userId());
        custom(extensions, "cs1", "rulesetVersion", record.rulesetVersion());
        custom(extensions, "cs2", "violationCodes", String.join(",", verdict.codes()));
        custom(extensions, "cs3", "correlationId", record.correlationId());
        custom(extensions, "cs4", "source", record.source());
        return header(signature, name, severity) + CefEscaping.extensions(extensions);
    }

    @Override
    public String remediation(RemediationOutcome outcome) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("rt", Instant.parse(outcome.time()).toEpochMilli());
        extensions.put("externalId", outcome.eventId());
        extensions.put("cat", RemediationOutcome.TYPE);
        extensions.put("act", outcome.action());
        extensions.put("outcome", outcome.outcome());
        extensions.put("reason", outcome.answer());
        extensions.put("duser", outcome.userName());
        extensions.put("duid", outcome.userId());
        custom(extensions, "cs1", "decisionId", outcome.decisionId());
        custom(extensions, "cs2", "violationCodes", String.join(",", outcome.codes()));
        custom(extensions, "cs3", "actionId", outcome.actionId());
        custom(extensions, "cs4", "status", outcome.status());
        custom(extensions, "cn1", "httpStatus", outcome.httpStatus());
        custom(extensions, "cn2", "attempts", outcome.attempts());
        int severity = outcome.failed() ? 7 : outcome.done() ? 5 : 3;
        return header("remediation-" + outcome.action(), "Remediation " + outcome.action() + " "
                + outcome.status().toLowerCase(java.util.Locale.ROOT), severity) + CefEscaping.extensions(extensions);
    }

    @Override
    public String policyChange(PolicyChange change) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("rt", Instant.parse(change.timestamp()).toEpochMilli());
        extensions.put("externalId", change.eventId());
        extensions.put("cat", change.type());
        extensions.put("act", change.event());
        extensions.put("outcome", "success");
        extensions.put("reason", change.reason());
        extensions.put("suser", change.actor());
        custom(extensions, "cs1", "proposalId", change.proposalId());
        custom(extensions, "cs2", "baseVersion", change.baseVersion());
        custom(extensions, "cs3", "candidateVersion", change.candidateVersion());
        custom(extensions, "cn1", "seq", change.seq());
        return header("policy-change-" + change.event(), "Policy change " + change.event(),
                "live".equals(change.event()) ? 5 : 3) + CefEscaping.extensions(extensions);
    }

    /** A notice of a type this mapping does not know: its type, its id and the decision it is about. */
    @Override
    public String notice(SiemNotice notice) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("rt", Instant.parse(notice.timestamp()).toEpochMilli());
        extensions.put("externalId", notice.eventId());
        extensions.put("cat", notice.type());
        custom(extensions, "cs1", "decisionId", notice.decisionId());
        extensions.put("msg", notice.detail() == null ? null : notice.detail().toString());
        return header(notice.type(), notice.type(), 3) + CefEscaping.extensions(extensions);
    }

    @Override
    public String checkpoint(ChainCheckpoint checkpoint) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("rt", Instant.parse(checkpoint.timestamp()).toEpochMilli());
        extensions.put("externalId", checkpoint.eventId());
        custom(extensions, "cn1", "position", checkpoint.position());
        custom(extensions, "cs1", "hash", checkpoint.hash());
        return header(checkpoint.type(), "Audit chain head", 1) + CefEscaping.extensions(extensions);
    }

    /** A custom field and its label, or neither when there is no value. */
    private static void custom(Map<String, Object> extensions, String key, String label, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            extensions.put(key + "Label", label);
            extensions.put(key, value);
        }
    }

    private static String header(String signature, String name, int severity) {
        return String.join("|", "CEF:0", CefEscaping.header(VENDOR), CefEscaping.header(PRODUCT),
                CefEscaping.header(VERSION), CefEscaping.header(signature), CefEscaping.header(name),
                Integer.toString(severity), "");
    }
}
