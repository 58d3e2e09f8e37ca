package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Remediation outcomes and policy change steps in every schema, field by field, on records the
 * service wrote to its SIEM file in a test run (the native shape, read back as the sinks get them).
 * The OCSF numbers were checked against ocsf-schema v1.8.0: Account Change (3001) activity 5 is
 * Disable (4 is Password Reset); Entity Management is 3004 in category 3, activity 1 Create and
 * 3 Update; managed_entity.type_id 5 is Policy; status_id 99 is Other.
 */
class RemediationAndPolicyChangeSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A deactivation Genesys carried out, as OutcomeExport sent it. */
    static final String DONE = """
            {"source":"scimgate","type":"remediation","eventId":"remediation:7ad8d91e-4b59-47f2-bfff-0ed49cd5f5e2:1",\
            "timestamp":"2026-12-07T03:23:07.324422Z","decisionId":"01a24e86-ce27-7e36-822c-bd97609b3a07",\
            "detail":{"actionId":"7ad8d91e-4b59-47f2-bfff-0ed49cd5f5e2","action":"deactivate","status":"DONE",\
            "userId":"g-76ec7aa6-6a75-4e64-8fd9-92f41045ccf8","userName":"mallory.g-76ec7aa6-6a75-4e64-8fd9-92f41045ccf8@evil.com",\
            "attempts":1,"answer":"200 the account is inactive","httpStatus":200,\
            "codes":["SCIM_INVALID_EMAIL_DOMAIN","SCIM_INVALID_LOGIN_DOMAIN"]}}""";

    /** A dry run: nothing changed, nothing failed. */
    static final String DRYRUN = """
            {"source":"scimgate","type":"remediation","eventId":"remediation:ae44208b-1144-42e7-8463-6f209cb0d930:1",\
            "timestamp":"2026-12-07T03:23:07.138572Z","decisionId":"01a24e86-cde6-7fa4-b4c2-2bd5ce85eedb",\
            "detail":{"actionId":"ae44208b-1144-42e7-8463-6f209cb0d930","action":"deactivate","status":"DRYRUN",\
            "userId":"g-2ef0e07e-3cf8-4676-9c0e-d649c178ba03","userName":"mallory.g-2ef0e07e-3cf8-4676-9c0e-d649c178ba03@evil.com",\
            "attempts":0,"answer":"dry run (SCIMGATE_REMEDIATION_MODE=dryrun): would PATCH /api/v2/scim/v2/users/g-2ef0e07e-3cf8-4676-9c0e-d649c178ba03 active:false",\
            "codes":["SCIM_INVALID_EMAIL_DOMAIN","SCIM_INVALID_LOGIN_DOMAIN"]}}""";

    /** A ruleset going live, as ProposalExport sent it. */
    static final String LIVE = """
            {"source":"scimgate","type":"policy-change","seq":4,"proposalId":"151c3c99-7c0b-46d0-b18b-49d20d30f5a4",\
            "event":"live","actor":"bob","reason":null,"baseVersion":"1a73cf3f3c830b8a","candidateVersion":"c4c9e3fddfeb7015",\
            "timestamp":"2026-12-07T01:27:43.745503Z"}""";

    static final String REJECTED = """
            {"source":"scimgate","type":"policy-change","seq":5,"proposalId":"554daf57-6e52-4d7d-97e1-7ff55ca65a59",\
            "event":"rejected","actor":"alice","reason":"superseded","baseVersion":"1a73cf3f3c830b8a",\
            "candidateVersion":"b1b76e368819beb8","timestamp":"2026-12-07T01:28:40.192269Z"}""";

    static SiemNotice remediation(String json) throws Exception {
        return JSON.readValue(json, SiemNotice.class);
    }

    static PolicyChange policyChange(String json) throws Exception {
        return JSON.readValue(json, PolicyChange.class);
    }

    @Test
    void ecsWritesARemediationAsAnIamChangeOfTheTargetUserCorrelatedToItsDecision() throws Exception {
        JsonNode ecs = new EcsMapping(JSON).map(remediation(DONE));
        assertThat(ecs.get("@timestamp").asText()).isEqualTo("2026-12-07T03:23:07.324422Z");
        assertThat(ecs.at("/event/kind").asText()).isEqualTo("event");
        assertThat(texts(ecs.at("/event/category"))).containsExactly("iam");
        assertThat(texts(ecs.at("/event/type"))).containsExactly("user", "change");
        assertThat(ecs.at("/event/action").asText()).isEqualTo("deactivate");
        assertThat(ecs.at("/event/outcome").asText()).isEqualTo("success");
        assertThat(ecs.at("/event/reason").asText()).isEqualTo("200 the account is inactive");
        assertThat(ecs.at("/event/id").asText()).isEqualTo("remediation:7ad8d91e-4b59-47f2-bfff-0ed49cd5f5e2:1");
        assertThat(ecs.at("/event/code").asText()).isEqualTo("DONE");
        assertThat(ecs.at("/event/dataset").asText()).isEqualTo("scimgate.remediation");
        assertThat(ecs.at("/user/target/id").asText()).isEqualTo("g-76ec7aa6-6a75-4e64-8fd9-92f41045ccf8");
        assertThat(ecs.at("/user/target/name").asText()).isEqualTo("mallory.g-76ec7aa6-6a75-4e64-8fd9-92f41045ccf8@evil.com");
        assertThat(ecs.at("/user/target/domain").asText()).isEqualTo("evil.com");
        assertThat(ecs.at("/user/name").isMissingNode()).as("user.* is the actor, not the account acted on").isTrue();
        assertThat(texts(ecs.at("/rule/id"))).containsExactly("SCIM_INVALID_EMAIL_DOMAIN", "SCIM_INVALID_LOGIN_DOMAIN");
        assertThat(ecs.at("/service/name").asText()).isEqualTo("scimgate");
        assertThat(ecs.at("/scimgate/decision_id").asText()).isEqualTo("01a24e86-ce27-7e36-822c-bd97609b3a07");
        assertThat(ecs.at("/scimgate/remediation/action_id").asText()).isEqualTo("7ad8d91e-4b59-47f2-bfff-0ed49cd5f5e2");
        assertThat(ecs.at("/scimgate/remediation/status").asText()).isEqualTo("DONE");
        assertThat(ecs.at("/scimgate/remediation/attempts").asInt()).isEqualTo(1);
        assertThat(ecs.at("/scimgate/remediation/http_status").asInt()).isEqualTo(200);
        assertThat(new EcsMapping(JSON).map(remediation(DRYRUN)).at("/event/outcome").asText())
                .as("a dry run changed nothing and failed at nothing").isEqualTo("unknown");
    }

    @Test
    void ecsWritesAPolicyChangeAsAConfigurationChangeByItsActor() throws Exception {
        JsonNode ecs = new EcsMapping(JSON).map(policyChange(REJECTED));
        assertThat(ecs.get("@timestamp").asText()).isEqualTo("2026-12-07T01:28:40.192269Z");
        assertThat(ecs.at("/event/kind").asText()).isEqualTo("event");
        assertThat(texts(ecs.at("/event/category"))).containsExactly("configuration");
        assertThat(texts(ecs.at("/event/type"))).containsExactly("change");
        assertThat(ecs.at("/event/action").asText()).isEqualTo("rejected");
        assertThat(ecs.at("/event/outcome").asText()).isEqualTo("success");
        assertThat(ecs.at("/event/reason").asText()).isEqualTo("superseded");
        assertThat(ecs.at("/event/id").asText()).isEqualTo("policy-change-5");
        assertThat(ecs.at("/event/dataset").asText()).isEqualTo("scimgate.policy_change");
        assertThat(ecs.at("/user/name").asText()).as("the actor").isEqualTo("alice");
        assertThat(ecs.at("/user/target").isMissingNode()).isTrue();
        assertThat(ecs.at("/rule/ruleset").asText()).isEqualTo("scimgate");
        assertThat(ecs.at("/rule/version").asText()).isEqualTo("b1b76e368819beb8");
        assertThat(ecs.at("/service/name").asText()).isEqualTo("scimgate");
        assertThat(ecs.at("/scimgate/policy_change/seq").asLong()).isEqualTo(5);
        assertThat(ecs.at("/scimgate/policy_change/proposal_id").asText()).isEqualTo("554daf57-6e52-4d7d-97e1-7ff55ca65a59");
        assertThat(ecs.at("/scimgate/policy_change/base_version").asText()).isEqualTo("1a73cf3f3c830b8a");
        assertThat(ecs.at("/scimgate/policy_change/candidate_version").asText()).isEqualTo("b1b76e368819beb8");
    }

    @Test
    void ocsfWritesADeactivationAsAnAccountChangeDisableCorrelatedToItsDecision() throws Exception {
        JsonNode ocsf = new OcsfMapping(JSON).map(remediation(DONE));
        assertThat(ocsf.get("class_uid").asInt()).isEqualTo(3001);
        assertThat(ocsf.get("category_uid").asInt()).isEqualTo(3);
        assertThat(ocsf.get("activity_id").asInt()).isEqualTo(5);
        assertThat(ocsf.get("activity_name").asText()).isEqualTo("Disable");
        assertThat(ocsf.get("type_uid").asLong()).isEqualTo(300105L);
        assertThat(ocsf.get("time").asLong()).isEqualTo(Instant.parse("2026-12-07T03:23:07.324422Z").toEpochMilli());
        assertThat(ocsf.get("status_id").asInt()).isEqualTo(1);
        assertThat(ocsf.get("status_code").asText()).isEqualTo("200");
        assertThat(ocsf.get("status_detail").asText()).isEqualTo("200 the account is inactive");
        assertThat(ocsf.get("severity_id").asInt()).isEqualTo(1);
        assertThat(ocsf.at("/metadata/version").asText()).isEqualTo("1.8.0");
        assertThat(ocsf.at("/metadata/uid").asText()).isEqualTo("remediation:7ad8d91e-4b59-47f2-bfff-0ed49cd5f5e2:1");
        assertThat(ocsf.at("/metadata/correlation_uid").asText()).isEqualTo("01a24e86-ce27-7e36-822c-bd97609b3a07");
        assertThat(ocsf.at("/metadata/product/name").asText()).isEqualTo("scimgate");
        assertThat(ocsf.at("/user/uid").asText()).isEqualTo("g-76ec7aa6-6a75-4e64-8fd9-92f41045ccf8");
        assertThat(ocsf.at("/user/name").asText()).isEqualTo("mallory.g-76ec7aa6-6a75-4e64-8fd9-92f41045ccf8@evil.com");
        assertThat(ocsf.has("policy")).isFalse();
        assertThat(ocsf.at("/unmapped/action_id").asText()).isEqualTo("7ad8d91e-4b59-47f2-bfff-0ed49cd5f5e2");
        assertThat(texts(ocsf.at("/unmapped/codes"))).containsExactly("SCIM_INVALID_EMAIL_DOMAIN", "SCIM_INVALID_LOGIN_DOMAIN");
        JsonNode dryrun = new OcsfMapping(JSON).map(remediation(DRYRUN));
        assertThat(dryrun.get("status_id").asInt()).as("99 Other: see status").isEqualTo(99);
        assertThat(dryrun.get("status").asText()).isEqualTo("DRYRUN");
    }

    @Test
    void ocsfWritesAPolicyChangeAsEntityManagementOfAPolicy() throws Exception {
        JsonNode live = new OcsfMapping(JSON).map(policyChange(LIVE));
        assertThat(live.get("class_uid").asInt()).isEqualTo(3004);
        assertThat(live.get("class_name").asText()).isEqualTo("Entity Management");
        assertThat(live.get("category_uid").asInt()).isEqualTo(3);
        assertThat(live.get("activity_id").asInt()).isEqualTo(3);
        assertThat(live.get("activity_name").asText()).isEqualTo("Update");
        assertThat(live.get("type_uid").asLong()).isEqualTo(300403L);
        assertThat(live.get("time").asLong()).isEqualTo(Instant.parse("2026-12-07T01:27:43.745503Z").toEpochMilli());
        assertThat(live.get("status_id").asInt()).isEqualTo(1);
        assertThat(live.at("/metadata/uid").asText()).isEqualTo("policy-change-4");
        assertThat(live.at("/metadata/correlation_uid").asText()).isEqualTo("151c3c99-7c0b-46d0-b18b-49d20d30f5a4");
        assertThat(live.at("/actor/user/name").asText()).isEqualTo("bob");
        assertThat(live.at("/entity/type_id").asInt()).as("managed_entity type 5 is Policy").isEqualTo(5);
        assertThat(live.at("/entity/type").asText()).isEqualTo("Policy");
        assertThat(live.at("/entity/name").asText()).isEqualTo("scimgate ruleset");
        assertThat(live.at("/entity/version").asText()).isEqualTo("c4c9e3fddfeb7015");
        assertThat(live.at("/entity/policy/version").asText()).isEqualTo("c4c9e3fddfeb7015");
        assertThat(live.at("/entity/policy/is_applied").asBoolean()).isTrue();
        assertThat(live.at("/unmapped/base_version").asText()).isEqualTo("1a73cf3f3c830b8a");
        assertThat(live.has("comment")).isFalse();
        JsonNode rejected = new OcsfMapping(JSON).map(policyChange(REJECTED));
        assertThat(rejected.get("activity_id").asInt()).isEqualTo(99);
        assertThat(rejected.get("activity_name").asText()).isEqualTo("rejected");
        assertThat(rejected.get("type_uid").asLong()).isEqualTo(300499L);
        assertThat(rejected.get("comment").asText()).isEqualTo("superseded");
        assertThat(rejected.at("/entity/policy/is_applied").asBoolean()).isFalse();
    }

    @Test
    void cefWritesARemediationWithItsOwnSignatureAndTheDecisionItActedOn() throws Exception {
        CefReader cef = CefReader.read(new CefMapping(JSON).line(remediation(DONE)));
        assertThat(cef.header().get(4)).isEqualTo("remediation-deactivate");
        assertThat(cef.header().get(5)).isEqualTo("Remediation deactivate done");
        assertThat(cef.header().get(6)).isEqualTo("5");
        assertThat(cef.extensions())
                .containsEntry("rt", Long.toString(Instant.parse("2026-12-07T03:23:07.324422Z").toEpochMilli()))
                .containsEntry("externalId", "remediation:7ad8d91e-4b59-47f2-bfff-0ed49cd5f5e2:1")
                .containsEntry("cat", "remediation")
                .containsEntry("act", "deactivate")
                .containsEntry("outcome", "success")
                .containsEntry("reason", "200 the account is inactive")
                .containsEntry("duser", "mallory.g-76ec7aa6-6a75-4e64-8fd9-92f41045ccf8@evil.com")
                .containsEntry("duid", "g-76ec7aa6-6a75-4e64-8fd9-92f41045ccf8")
                .containsEntry("cs1Label", "decisionId").containsEntry("cs1", "01a24e86-ce27-7e36-822c-bd97609b3a07")
                .containsEntry("cs2Label", "violationCodes").containsEntry("cs2", "SCIM_INVALID_EMAIL_DOMAIN,SCIM_INVALID_LOGIN_DOMAIN")
                .containsEntry("cs3Label", "actionId").containsEntry("cs3", "7ad8d91e-4b59-47f2-bfff-0ed49cd5f5e2")
                .containsEntry("cs4Label", "status").containsEntry("cs4", "DONE")
                .containsEntry("cn1Label", "httpStatus").containsEntry("cn1", "200")
                .containsEntry("cn2Label", "attempts").containsEntry("cn2", "1");
        CefReader dryrun = CefReader.read(new CefMapping(JSON).line(remediation(DRYRUN)));
        assertThat(dryrun.header().get(6)).isEqualTo("3");
        assertThat(dryrun.extensions()).containsEntry("outcome", "unknown").doesNotContainKey("cn1")
                .containsEntry("reason", "dry run (SCIMGATE_REMEDIATION_MODE=dryrun): would PATCH "
                        + "/api/v2/scim/v2/users/g-2ef0e07e-3cf8-4676-9c0e-d649c178ba03 active:false");
    }

    @Test
    void cefWritesAPolicyChangeWithItsOwnSignatureAndItsActor() throws Exception {
        CefReader cef = CefReader.read(new CefMapping(JSON).line(policyChange(LIVE)));
        assertThat(cef.header().get(4)).isEqualTo("policy-change-live");
        assertThat(cef.header().get(5)).isEqualTo("Policy change live");
        assertThat(cef.header().get(6)).isEqualTo("5");
        assertThat(cef.extensions())
                .containsEntry("rt", Long.toString(Instant.parse("2026-12-07T01:27:43.745503Z").toEpochMilli()))
                .containsEntry("externalId", "policy-change-4")
                .containsEntry("cat", "policy-change")
                .containsEntry("act", "live")
                .containsEntry("outcome", "success")
                .containsEntry("suser", "bob")
                .containsEntry("cs1Label", "proposalId").containsEntry("cs1", "151c3c99-7c0b-46d0-b18b-49d20d30f5a4")
                .containsEntry("cs2Label", "baseVersion").containsEntry("cs2", "1a73cf3f3c830b8a")
                .containsEntry("cs3Label", "candidateVersion").containsEntry("cs3", "c4c9e3fddfeb7015")
                .containsEntry("cn1Label", "seq").containsEntry("cn1", "4")
                .doesNotContainKey("reason");
        assertThat(CefReader.read(new CefMapping(JSON).line(policyChange(REJECTED))).extensions())
                .containsEntry("reason", "superseded").containsEntry("suser", "alice");
    }

    @Test
    void nativeKeepsBothAsTheyWereAlwaysSent() throws Exception {
        assertThat(new NativeMapping(JSON).text(remediation(DONE), JSON)).isEqualTo(JSON.readTree(DONE).toString());
        assertThat(new NativeMapping(JSON).text(policyChange(LIVE), JSON)).isEqualTo(JSON.readTree(LIVE).toString());
    }

    @Test
    void everySchemaWritesEveryKindOfRecordAsOneLineAndTheMappedOnesWithTheirOwnId() throws Exception {
        List<SiemEvent> events = List.of(SiemSchemasTest.rejected("jane@acme.com"), remediation(DONE), remediation(DRYRUN),
                policyChange(LIVE), policyChange(REJECTED), ChainCheckpoint.of(42, "9f86d081884c7d65", "2026-11-29T10:05:00Z"),
                new SiemNotice("something-new", "something-new:1", "2026-12-07T01:00:00Z", null,
                        JSON.readTree("{\"a\":\"b=c\\nd\"}")));
        for (SiemSchema schema : SiemSchema.values()) {
            SiemMapping mapping = schema.mapping(JSON);
            for (SiemEvent event : events) {
                String text = mapping.text(event, JSON);
                assertThat(text).as(schema + " " + event.eventId()).doesNotContain("\n");
                if (schema != SiemSchema.NATIVE) { // native keeps the fields the id is made of (seq, position and hash)
                    assertThat(text).as(schema + " " + event.eventId()).contains(event.eventId());
                }
                if (event.eventId().equals("policy-change-4") || event.eventId().endsWith("f5e2:1")) {
                    SiemReceiversTest.capture((event instanceof PolicyChange ? "policy-change-" : "remediation-")
                            + schema.label() + ".txt", text);
                }
            }
        }
    }

    @Test
    void syslogNamesEachKindOfRecordInItsMessageId() throws Exception {
        assertThat(msgId(remediation(DONE))).isEqualTo("remediation");
        assertThat(msgId(policyChange(LIVE))).isEqualTo("policy-change");
        assertThat(msgId(SiemSchemasTest.rejected("jane@acme.com"))).isEqualTo("decision");
        assertThat(msgId(ChainCheckpoint.of(42, "9f86d081884c7d65", "2026-11-29T10:05:00Z"))).isEqualTo("audit-chain-head");
    }

    @Test
    void kafkaKeysARemediationByItsUserAndAPolicyChangeByItsProposal() throws Exception {
        assertThat(KafkaSink.key(remediation(DONE))).as("the partition of that user's decisions")
                .isEqualTo(KafkaSink.key(SiemSchemasTest.rejected("mallory.g-76ec7aa6-6a75-4e64-8fd9-92f41045ccf8@Evil.com")));
        assertThat(KafkaSink.key(policyChange(LIVE))).isEqualTo("policy-change:151c3c99-7c0b-46d0-b18b-49d20d30f5a4");
    }

    /** RFC 5424's MSGID: the sixth field after the octet count. */
    private static String msgId(SiemEvent event) {
        String frame = new String(SyslogMessage.frame(event, "x"), StandardCharsets.UTF_8);
        return frame.split(" ")[6];
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
