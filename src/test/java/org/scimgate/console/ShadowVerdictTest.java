package org.scimgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.scimgate.audit.DecisionRecord;
import org.scimgate.audit.DecisionView;

class ShadowVerdictTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void differsWhereTheShadowDecidesAnotherOutcome() {
        ShadowVerdict verdict = ShadowVerdict.of(decision("REJECTED", List.of("POLICY_DEPARTMENT_DENIED"),
                new DecisionRecord.Shadow("ACCEPTED", "v2", List.of())));
        assertThat(verdict.differs()).isTrue();
        assertThat(verdict.outcome()).isEqualTo("ACCEPTED");
        assertThat(verdict.rulesetVersion()).isEqualTo("v2");
    }

    @Test
    void differsWhereTheShadowRefusesForOtherReasons() {
        assertThat(ShadowVerdict.of(decision("REJECTED", List.of("POLICY_DEPARTMENT_DENIED"),
                new DecisionRecord.Shadow("REJECTED", "v2", List.of("SCIM_INVALID_EMAIL_DOMAIN")))).differs()).isTrue();
    }

    @Test
    void agreesOnTheSameOutcomeAndCodesWhateverTheirOrderOrRepetition() {
        assertThat(ShadowVerdict.of(decision("REJECTED", List.of("B", "A", "B"),
                new DecisionRecord.Shadow("REJECTED", "v2", List.of("A", "B")))).differs()).isFalse();
    }

    @Test
    void isAbsentWhereNoShadowJudged() {
        assertThat(ShadowVerdict.of(decision("MALFORMED", List.of(), null))).isNull();
    }

    private static DecisionView decision(String outcome, List<String> codes, DecisionRecord.Shadow shadow) {
        JsonNode violations = JSON.valueToTree(codes.stream().map(c -> java.util.Map.of("code", c)).toList());
        return new DecisionView(UUID.randomUUID(), 1, Instant.now(), "webhook", "user.created", null, null, null,
                "jane@acme.com", outcome, 400, violations, JSON.createArrayNode(), "v1", null, null, null, null, null,
                shadow);
    }
}
