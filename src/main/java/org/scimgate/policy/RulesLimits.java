package org.scimgate.policy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationStyle;

/**
 * The allow-list and evaluation timeout of the {@code rules} command, which runs without Spring:
 * read from the same settings the service reads ({@code scimgate.policy.allowed-types} and
 * {@code scimgate.policy.evaluation-timeout} as system properties, else
 * {@code SCIMGATE_POLICY_ALLOWED_TYPES} and {@code SCIMGATE_POLICY_EVALUATION_TIMEOUT}), plus the
 * command line's {@code --allow <entry>} options, so a rule that passes here passes in the service.
 */
final class RulesLimits {

    private RulesLimits() {
    }

    /** The compiler of the service's settings, with {@code extra} entries added to its allow-list. */
    static RulesetCompiler compiler(List<String> extra) {
        List<String> allowed = new ArrayList<>(RuleCapabilities.split(setting("scimgate.policy.allowed-types",
                "SCIMGATE_POLICY_ALLOWED_TYPES")));
        extra.forEach(entry -> allowed.addAll(RuleCapabilities.split(entry)));
        String timeout = setting("scimgate.policy.evaluation-timeout", "SCIMGATE_POLICY_EVALUATION_TIMEOUT");
        Duration evaluationTimeout;
        try {
            evaluationTimeout = timeout == null ? PolicySettings.DEFAULT_EVALUATION_TIMEOUT
                    : DurationStyle.detectAndParse(timeout.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SCIMGATE_POLICY_EVALUATION_TIMEOUT: \"" + timeout
                    + "\" is not a duration such as 2s or 500ms");
        }
        if (evaluationTimeout.isNegative() || evaluationTimeout.isZero()) {
            throw new IllegalArgumentException("SCIMGATE_POLICY_EVALUATION_TIMEOUT must be positive, e.g. 2s");
        }
        return new RulesetCompiler(Clock.systemUTC(), RuleCapabilities.of(allowed), evaluationTimeout);
    }

    private static String setting(String property, String environment) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
