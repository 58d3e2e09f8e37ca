package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each schema's mapping, checked field by field on a decision as the relay builds it. The OCSF
 * numbers were checked against the ocsf-schema repository: Account Change is class 3001 in category
 * 3, activity 1 Create and 6 Delete; the security_control profile's action_id 2 is Denied and
 * disposition_id 2 Blocked; authorizations[] holds {decision, policy}.
 */
class SiemSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID DECISION = UUID.fromString("0b9a4f7e-3c1d-4e55-9a0f-2d7c6b1e8a42");
    private static final String RECEIVED = "2026-11-29T10:00:00.500Z";

    static SiemRecord rejected(String userName) throws Exception {
        JsonNode violations = JSON.readTree("""
                [{"field":"department","code":"POLICY_DEPARTMENT_DENIED","message":"Department 'Pirates' is not on the approved list",
                  "severity":"medium","mode":"enforce","rule":"Department must be on the approved list"}]""");
        return new SiemRecord("webhook", "2026-11-29T10:00:01Z", "UNKNOWN_EVENT", "2819c223-7f76-453a-919d-413861904646",
                userName, "REJECTED", violations, "2026-11-29T09:59:59Z", "scimgate", DECISION, "3f2a9c1", "wh-17",
                RECEIVED, "user.created", null);
    }

    private static final ChainCheckpoint CHECKPOINT = ChainCheckpoint.of(42, "9f86d081884c7d65", "2026-11-29T10:05:00Z");

    @Test
    void ecsWritesADecisionAsAnIamEventAboutTheTargetUser() throws Exception {
        JsonNode ecs = new EcsMapping(JSON).map(rejected("jane@acme.com"));
        assertThat(ecs.get("@timestamp").asText()).isEqualTo(RECEIVED);
        assertThat(ecs.at("/event/kind").asText()).isEqualTo("event");
        assertThat(ecs.at("/event/category")).containsExactly(JSON.getNodeFactory().textNode("iam"));
        assertThat(texts(ecs.at("/event/type"))).containsExactly("user", "creation");
        assertThat(ecs.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(ecs.at("/event/reason").asText()).isEqualTo("Department 'Pirates' is not on the approved list");
        assertThat(ecs.at("/event/id").asText()).isEqualTo(DECISION.toString());
        assertThat(ecs.at("/event/code").asText()).isEqualTo("POLICY_DEPARTMENT_DENIED");
        assertThat(ecs.at("/event/action").asText()).isEqualTo("user.created");
        assertThat(ecs.at("/user/target/id").asText()).isEqualTo("2819c223-7f76-453a-919d-413861904646");
        assertThat(ecs.at("/user/target/name").asText()).isEqualTo("jane@acme.com");
        assertThat(ecs.at("/user/target/domain").asText()).isEqualTo("acme.com");
        assertThat(ecs.at("/user/name").isMissingNode()).as("user.* is the actor, not the account judged").isTrue();
        assertThat(texts(ecs.at("/rule/id"))).containsExactly("POLICY_DEPARTMENT_DENIED");
        assertThat(texts(ecs.at("/rule/name"))).containsExactly("Department must be on the approved list");
        assertThat(ecs.at("/rule/ruleset").asText()).isEqualTo("scimgate");
        assertThat(ecs.at("/rule/version").asText()).isEqualTo("3f2a9c1");
        assertThat(ecs.at("/service/name").asText()).isEqualTo("scimgate");
        assertThat(ecs.at("/scimgate/outcome").asText()).isEqualTo("REJECTED");
    }

    @Test
    void ecsTellsTheChangeAndOutcomeOfGatewayDecisions() throws Exception {
        SiemRecord delete = withEvent(rejected("jane@acme.com"), "scim.DELETE", "FORWARDED");
        JsonNode ecs = new EcsMapping(JSON).map(delete);
        assertThat(texts(ecs.at("/event/type"))).containsExactly("user", "deletion");
        assertThat(ecs.at("/event/outcome").asText()).isEqualTo("success");
        assertThat(texts(new EcsMapping(JSON).map(withEvent(delete, "scim.PATCH", "ACCEPTED")).at("/event/type")))
                .containsExactly("user", "change");
    }

    @Test
    void ocsfWritesADecisionAsAnAccountChangeWithTheSecurityControlVerdict() throws Exception {
        JsonNode ocsf = new OcsfMapping(JSON).map(rejected("jane@acme.com"));
        assertThat(ocsf.get("class_uid").asInt()).isEqualTo(3001);
        assertThat(ocsf.get("category_uid").asInt()).isEqualTo(3);
        assertThat(ocsf.get("activity_id").asInt()).isEqualTo(1);
        assertThat(ocsf.get("type_uid").asLong()).isEqualTo(300101L);
        assertThat(ocsf.get("status_id").asInt()).isEqualTo(2);
        assertThat(ocsf.get("status_detail").asText()).isEqualTo("REJECTED");
        assertThat(ocsf.get("time").asLong()).isEqualTo(Instant.parse(RECEIVED).toEpochMilli());
        assertThat(ocsf.at("/metadata/version").asText()).startsWith("1.");
        assertThat(ocsf.at("/metadata/uid").asText()).isEqualTo(DECISION.toString());
        assertThat(ocsf.at("/metadata/product/name").asText()).isEqualTo("scimgate");
        assertThat(texts(ocsf.at("/metadata/profiles"))).containsExactly("security_control");
        assertThat(ocsf.at("/metadata/correlation_uid").isMissingNode()).as("no Genesys event was found").isTrue();
        assertThat(ocsf.at("/user/uid").asText()).isEqualTo("2819c223-7f76-453a-919d-413861904646");
        assertThat(ocsf.at("/user/name").asText()).isEqualTo("jane@acme.com");
        assertThat(ocsf.get("action_id").asInt()).isEqualTo(2);
        assertThat(ocsf.get("disposition_id").asInt()).isEqualTo(2);
        assertThat(ocsf.at("/authorizations/0/decision").asText()).isEqualTo("denied");
        assertThat(ocsf.at("/authorizations/0/policy/version").asText()).isEqualTo("3f2a9c1");
        assertThat(ocsf.has("policy")).as("Account Change's own policy is for attach/detach, and deprecated").isFalse();
        assertThat(ocsf.get("message").asText()).isEqualTo("Department 'Pirates' is not on the approved list");
    }

    @Test
    void ocsfActivityFollowsTheChange() throws Exception {
        JsonNode delete = new OcsfMapping(JSON).map(withEvent(rejected("j@acme.com"), "scim.DELETE", "FORWARDED"));
        assertThat(delete.get("activity_id").asInt()).isEqualTo(6);
        assertThat(delete.get("type_uid").asLong()).isEqualTo(300106L);
        assertThat(delete.get("status_id").asInt()).isEqualTo(1);
        assertThat(delete.get("action_id").asInt()).isEqualTo(1);
        assertThat(delete.get("disposition_id").asInt()).isEqualTo(1);
    }

    @Test
    void cefWritesADecisionAsOneRecordWithTheDecisionIdAsExternalId() throws Exception {
        String line = new CefMapping(JSON).line(rejected("jane@acme.com"));
        assertThat(line).startsWith("CEF:0|scimgate|scimgate|");
        CefReader cef = CefReader.read(line);
        assertThat(cef.header().get(4)).isEqualTo("POLICY_DEPARTMENT_DENIED");
        assertThat(cef.header().get(5)).isEqualTo("Account create denied");
        assertThat(cef.header().get(6)).isEqualTo("7");
        assertThat(cef.extensions()).containsEntry("externalId", DECISION.toString())
                .containsEntry("rt", Long.toString(Instant.parse(RECEIVED).toEpochMilli()))
                .containsEntry("act", "REJECTED")
                .containsEntry("outcome", "failure")
                .containsEntry("reason", "Department 'Pirates' is not on the approved list")
                .containsEntry("duser", "jane@acme.com")
                .containsEntry("duid", "2819c223-7f76-453a-919d-413861904646")
                .containsEntry("cat", "user.created")
                .containsEntry("cs1Label", "rulesetVersion").containsEntry("cs1", "3f2a9c1")
                .containsEntry("cs2Label", "violationCodes").containsEntry("cs2", "POLICY_DEPARTMENT_DENIED");
    }

    @Test
    void aUserNameBuiltToForgeACefRecordArrivesAsOneEscapedValue() throws Exception {
        String hostile = "eve\\ act=ACCEPTED externalId=forged outcome=success|CEF:0|evil|x|1|2|3|10|src=6.6.6.6\n"
                + "CEF:0|forged|rec|1|ok|ok|1|duser=admin\r\u2028 cs9=x\\";
        String line = new CefMapping(JSON).line(rejected(hostile));
        assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u2028");
        assertThat(line.lines()).as("a record ends only where a line ends").hasSize(1);
        CefReader cef = CefReader.read(line);
        assertThat(cef.header()).hasSize(7);
        assertThat(cef.header().get(1)).isEqualTo("scimgate");
        assertThat(cef.extensions().keySet()).containsExactly("rt", "externalId", "cat", "act", "outcome", "reason",
                "duser", "duid", "cs1Label", "cs1", "cs2Label", "cs2", "cs3Label", "cs3", "cs4Label", "cs4");
        assertThat(cef.extensions()).containsEntry("externalId", DECISION.toString()).containsEntry("act", "REJECTED")
                .containsEntry("outcome", "failure");
        assertThat(cef.extensions().get("duser")).isEqualTo(hostile.replace('\u2028', ' '));
    }

    @Test
    void cefEscapesTheHeaderAndTheExtensionsByTheirOwnRules() {
        assertThat(CefEscaping.header("a|b\\c=d\ne")).isEqualTo("a\\|b\\\\c=d e");
        assertThat(CefEscaping.extension("a|b\\c=d\ne\rf")).isEqualTo("a|b\\\\c\\=d\\ne\\rf");
    }

    @Test
    void everySchemaCarriesTheChainCheckpointWithItsOwnId() {
        assertThat(new NativeMapping(JSON).map(CHECKPOINT).get("hash").asText()).isEqualTo("9f86d081884c7d65");
        JsonNode ecs = new EcsMapping(JSON).map(CHECKPOINT);
        assertThat(ecs.at("/event/id").asText()).isEqualTo(CHECKPOINT.eventId());
        assertThat(ecs.at("/scimgate/chain/position").asLong()).isEqualTo(42);
        assertThat(ecs.at("/scimgate/chain/hash").asText()).isEqualTo("9f86d081884c7d65");
        JsonNode ocsf = new OcsfMapping(JSON).map(CHECKPOINT);
        assertThat(ocsf.at("/metadata/uid").asText()).isEqualTo(CHECKPOINT.eventId());
        assertThat(ocsf.at("/unmapped/hash").asText()).isEqualTo("9f86d081884c7d65");
        assertThat(ocsf.get("class_uid").asInt()).isZero();
        CefReader cef = CefReader.read(new CefMapping(JSON).line(CHECKPOINT));
        assertThat(cef.header().get(4)).isEqualTo("audit-chain-head");
        assertThat(cef.extensions()).containsEntry("externalId", CHECKPOINT.eventId()).containsEntry("cn1", "42")
                .containsEntry("cs1", "9f86d081884c7d65");
    }

    @Test
    void nativeIsTheRecordAsItWasAlwaysSent() throws Exception {
        SiemRecord record = rejected("jane@acme.com");
        assertThat(new NativeMapping(JSON).map(record)).isEqualTo(JSON.readTree(JSON.writeValueAsString(record)));
    }

    @Test
    void syslogDefaultsToCefAndEveryOtherFormatToNative() {
        assertThat(settings(SiemSettings.Format.SYSLOG, "tls://127.0.0.1:6514").schema()).isEqualTo(SiemSchema.CEF);
        assertThat(settings(SiemSettings.Format.KAFKA, "kafka://127.0.0.1:9092,127.0.0.1:9093").schema())
                .isEqualTo(SiemSchema.NATIVE);
        assertThat(settings(SiemSettings.Format.FILE, null).schema()).isEqualTo(SiemSchema.NATIVE);
    }

    private static SiemSettings settings(SiemSettings.Format format, String endpoint) {
        return new SiemSettings(endpoint == null ? null : java.net.URI.create(endpoint), format, null,
                java.nio.file.Path.of("x"), 10, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(20), 3,
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(10), true, null);
    }

    private static SiemRecord withEvent(SiemRecord r, String eventType, String outcome) {
        return new SiemRecord(r.source(), r.timestamp(), r.correlationId(), r.userId(), r.userName(), outcome,
                JSON.createArrayNode(), r.eventTimestamp(), r.complianceEngine(), r.decisionId(), r.rulesetVersion(),
                r.webhookId(), r.receivedAt(), eventType, r.shadow());
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
