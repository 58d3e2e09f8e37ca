package org.scimgate.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyViolation;
import org.springframework.stereotype.Component;

/**
 * The decision metrics, named like their peers in Prometheus: {@code scimgate_decisions_total{outcome}},
 * {@code scimgate_rule_matches_total{code,mode}} and the {@code scimgate_policy_evaluation_seconds} histogram.
 */
@Component
class DecisionMetrics {

    private final MeterRegistry meters;
    private final Timer evaluation;

    DecisionMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.evaluation = Timer.builder("scimgate.policy.evaluation")
                .description("Time to evaluate one SCIM user against the live ruleset")
                .publishPercentileHistogram()
                .register(meters);
    }

    Evaluation timed(Supplier<Evaluation> evaluate) {
        Evaluation result = evaluation.record(evaluate);
        for (PolicyViolation violation : result.violations()) {
            meters.counter("scimgate.rule.matches", "code", violation.code(), "mode", violation.mode().label()).increment();
        }
        return result;
    }

    void decided(String outcome, String source) {
        meters.counter("scimgate.decisions", "outcome", outcome, "source", source).increment();
    }
}
