package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The accepted / accepted-with-warnings / rejected choice, made once, on the evaluation. */
class VerdictTest {

    private static Evaluation of(Mode... modes) {
        List<PolicyViolation> violations = java.util.Arrays.stream(modes)
                .map(m -> new PolicyViolation("f", "C_" + m, "m", Severity.LOW, m, "r")).toList();
        return new Evaluation(violations, List.of(), "v1", Map.of(), Set.of());
    }

    @Test
    void anEnforcedViolationRejectsWhateverElseMatched() {
        assertThat(of(Mode.WARN, Mode.ENFORCE, Mode.DRYRUN).verdict()).isEqualTo(Verdict.REJECTED);
    }

    @Test
    void warningsAloneAcceptWithWarnings() {
        assertThat(of(Mode.WARN, Mode.DRYRUN).verdict()).isEqualTo(Verdict.ACCEPTED_WITH_WARNINGS);
    }

    @Test
    void dryRunViolationsAloneAccept() {
        assertThat(of(Mode.DRYRUN).verdict()).isEqualTo(Verdict.ACCEPTED);
        assertThat(of().verdict()).isEqualTo(Verdict.ACCEPTED);
    }
}
