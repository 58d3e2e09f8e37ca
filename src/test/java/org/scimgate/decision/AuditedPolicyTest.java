package org.scimgate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestRules;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.audit.DecisionRecord.FiredRule;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.Verdict;
import org.scimgate.scim.ScimUserReader;

/** The policy columns of an audit row come from the ruleset that evaluated, whatever went live since. */
class AuditedPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DENIED = "POLICY_DEPARTMENT_DENIED";
    private static final String RENAMED = "POLICY_DEPARTMENT_REFUSED";

    @TempDir
    Path rules;

    @Test
    void aReloadBetweenEvaluationAndRecordingCannotChangeTheRowsCodesVersionOrRedaction() throws Exception {
        TestRules.copy(Path.of("rules"), rules);
        edit("reference-data.yaml", "    - password\n", "    - password\n    - nickName\n");
        JsonNode payload = JSON.readTree("""
                {"userName":"jane","emails":[{"value":"jane@acme.com","primary":true}],"department":"Marketing",
                 "nickName":"the-secret-nickname"}""");
        try (PolicyEngine engine = PolicyEngine.load(rules, Clock.systemUTC())) {
            // Only the policy part is read here: the log is never asked to write.
            Decisions decisions = new Decisions(engine, org.scimgate.policy.ShadowRuleset.off(), null,
                    new DecisionMetrics(new SimpleMeterRegistry()));
            Evaluation evaluation = decisions.evaluate(ScimUserReader.read(payload, "user"));
            String evaluatedBy = engine.ruleset().version();

            // The analyst renames the code and no longer lists nickName as sensitive; it goes live at once.
            edit("organization/organization.drl", DENIED, RENAMED);
            edit("organization/examples.yaml", DENIED, RENAMED);
            edit("reference-data.yaml", "    - nickName\n", "");
            assertThat(engine.reload()).as("the edited rules went live").isTrue();
            assertThat(engine.ruleset().rules()).anySatisfy(r -> assertThat(r.code()).isEqualTo(RENAMED));

            AuditedPolicy row = decisions.policy(evaluation);
            assertThat(row.rulesetVersion()).isEqualTo(evaluatedBy).isNotEqualTo(engine.ruleset().version());
            assertThat(row.firedRules()).extracting(FiredRule::code).containsExactly(DENIED);
            assertThat(row.violations()).extracting(v -> v.code()).containsExactly(DENIED);
            assertThat(row.redact(payload).has("nickName")).as("redacted as the evaluating ruleset said").isFalse();
            assertThat(evaluation.verdict()).isEqualTo(Verdict.REJECTED);

            AuditedPolicy unevaluated = decisions.policy(null);
            assertThat(unevaluated.rulesetVersion()).isEqualTo(engine.ruleset().version());
            assertThat(unevaluated.redact(payload).has("nickName")).isTrue();
        }
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = rules.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }
}
