package org.scimgate.decision;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyViolation;
import org.springframework.stereotype.Component;

/**
 * The decision metrics, named like their peers in Prometheus: {@code scimgate_decisions_total{outcome,source}},
 * {@code scimgate_rule_matches_total{code,mode}} and the {@code scimgate_policy_evaluation_seconds} histogram.
 */
@Component
class DecisionMetrics {

    private final MeterRegistry meters;
    private final Timer evaluation;
    // Meters are looked up by name and sorted tags on every call; keep the ones already made.
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> counters =
            new java.util.concurrent.ConcurrentHashMap<>();

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
            String code = violation.code();
            String mode = violation.mode().label();
            counters.computeIfAbsent("rule|" + code + "|" + mode,
                    k -> meters.counter("scimgate.rule.matches", "code", code, "mode", mode)).increment();
        }
        return result;
    }

    /** {@code scimgate_policy_shadow_divergences_total{live,shadow}}: the shadow would have decided otherwise. */
    void shadowDiverged(String live, String shadow) {
        counters.computeIfAbsent("shadow|" + live + "|" + shadow,
                k -> io.micrometer.core.instrument.Counter.builder("scimgate.policy.shadow.divergences")
                        .description("Decisions the shadow ruleset would have made otherwise: another outcome "
                                + "(live and shadow tags differ) or other violation codes (they are equal)")
                        .tags("live", live, "shadow", shadow).register(meters)).increment();
    }

    void decided(String outcome, String source) {
        counters.computeIfAbsent("decision|" + outcome + "|" + source,
                k -> meters.counter("scimgate.decisions", "outcome", outcome, "source", source)).increment();
    }
}
