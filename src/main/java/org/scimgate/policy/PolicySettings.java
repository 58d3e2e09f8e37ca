package org.scimgate.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the policy lives.
 *
 * @param rulesDir the directory of DRL files and reference data, read from the file system at
 *                 start-up so analysts change policy without a rebuild (env {@code SCIMGATE_RULES_DIR})
 * @param watch    reload the rules when the directory changes (env {@code SCIMGATE_RULES_WATCH})
 * @param settle   how long the directory must be quiet after a change before it is reloaded
 * @param allowedTypes types, packages ({@code com.acme.*}, {@code com.acme.**}) and members
 *                 ({@code com.acme.Util#parse}) rules may use beyond the built-in allow-list
 *                 (env {@code SCIMGATE_POLICY_ALLOWED_TYPES}, comma-separated)
 * @param evaluationTimeout how long one evaluation (or one example) may take: past it no further rule
 *                 fires and the user is refused
 * @param shadowRulesDir a candidate ruleset evaluated beside the live one on every decision and
 *                 never enforced (env {@code SCIMGATE_SHADOW_RULES_DIR}); empty: no shadow
 * @param compiledCache where compiled rulesets are kept, so that a start with unchanged rules does
 *                 not compile them again (checked again before use); empty: every start compiles
 */
@ConfigurationProperties("scimgate.policy")
record PolicySettings(@DefaultValue("./rules") Path rulesDir, @DefaultValue("true") boolean watch,
                             @DefaultValue("500ms") Duration settle, @DefaultValue List<String> allowedTypes,
                             @DefaultValue("2s") Duration evaluationTimeout,
                             @DefaultValue("") String shadowRulesDir,
                             @DefaultValue("") String compiledCache) {

    static final Duration DEFAULT_EVALUATION_TIMEOUT = Duration.ofSeconds(2);

    public PolicySettings {
        allowedTypes = allowedTypes == null ? List.of() : List.copyOf(allowedTypes);
        if (evaluationTimeout == null || evaluationTimeout.isNegative() || evaluationTimeout.isZero()) {
            throw new IllegalArgumentException("scimgate.policy.evaluation-timeout must be positive, e.g. 2s");
        }
        RuleCapabilities.of(allowedTypes); // refuses a malformed allowed-types entry at start-up
        shadowRulesDir = shadowRulesDir == null ? "" : shadowRulesDir.strip();
        compiledCache = compiledCache == null ? "" : compiledCache.strip();
    }

    /** The shadow ruleset's directory, or null when none is configured. */
    public Path shadowRules() {
        return shadowRulesDir.isEmpty() ? null : Path.of(shadowRulesDir);
    }

    /** The built-in allow-list and the operator's extra entries. */
    public RuleCapabilities capabilities() {
        return RuleCapabilities.of(allowedTypes);
    }

    /** The compiler every ruleset of the service goes through. */
    public RulesetCompiler compiler(java.time.Clock clock) {
        RulesetCompiler compiler = new RulesetCompiler(clock, capabilities(), evaluationTimeout);
        return compiledCache.isEmpty() ? compiler
                : compiler.keepingCompiledIn(new CompiledRulesetCache(Path.of(compiledCache)));
    }
}
