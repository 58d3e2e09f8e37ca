package org.scimgate.policy.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.EvaluationTimedOut;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.Ruleset;
import org.scimgate.policy.RulesFailed;
import org.scimgate.policy.ShadowRuleset;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUserReader;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The policy as an API for analysts: a dry run that records nothing, and the live ruleset with
 * its rules, metadata and the last reload that was refused.
 */
@RestController
class PolicyController {

    private final PolicyEngine engine;
    private final ShadowRuleset shadow;

    PolicyController(PolicyEngine engine, ShadowRuleset shadow) {
        this.engine = engine;
        this.shadow = shadow;
    }

    record ViolationView(String field, String code, String message, String severity, String mode, String rule) {
    }

    record RuleView(String name, String code, String severity, String mode, String description, String file,
                    Map<String, String> metadata) {
        static RuleView of(PolicyRule rule) {
            return new RuleView(rule.name(), rule.code(), rule.severity().name().toLowerCase(java.util.Locale.ROOT),
                    rule.mode().label(), rule.description(), rule.file(), rule.metadata());
        }
    }

    record EvaluationView(String rulesetVersion, String decision, List<ViolationView> violations,
                          List<RuleView> firedRules) {
    }

    record RulesetView(String version, String loadedAt, String rulesDir, List<RuleView> rules,
                       PolicyEngine.RejectedReload lastRejectedReload, ShadowView shadow) {
    }

    /** The shadow ruleset: {@code version} null while it is refused; absent when none is configured. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ShadowView(String version, String loadedAt, String rulesDir, PolicyEngine.RejectedReload lastRejectedReload) {
        static ShadowView of(ShadowRuleset shadow) {
            if (!shadow.configured()) {
                return null;
            }
            Ruleset ruleset = shadow.ruleset();
            return new ShadowView(ruleset == null ? null : ruleset.version(),
                    ruleset == null ? null : ruleset.loadedAt().toString(),
                    shadow.rulesDir().toAbsolutePath().normalize().toString(), shadow.lastRejected());
        }
    }

    /** {@code POST /api/v1/policy/evaluate}: a SCIM user or a webhook envelope; no audit row, no outbox row. */
    @PostMapping("/api/v1/policy/evaluate")
    EvaluationView evaluate(@RequestBody JsonNode body) {
        boolean envelope = body != null && body.isObject() && body.has("eventType") && body.has("data");
        Evaluation evaluation = engine.evaluate(ScimUserReader.read(envelope ? body.get("data") : body,
                envelope ? "data" : "body"));
        // The fired rules' metadata comes with the evaluation: a reload meanwhile cannot describe them by
        // another ruleset's.
        return new EvaluationView(evaluation.rulesetVersion(), evaluation.verdict().name(),
                evaluation.violations().stream().map(v -> new ViolationView(v.field(), v.code(), v.message(),
                        v.severity().name().toLowerCase(java.util.Locale.ROOT), v.mode().label(), v.rule())).toList(),
                evaluation.firedRules().stream().map(evaluation::firedRule).filter(java.util.Objects::nonNull)
                        .map(RuleView::of).toList());
    }

    @GetMapping("/api/v1/ruleset")
    RulesetView ruleset() {
        Ruleset ruleset = engine.ruleset();
        return new RulesetView(ruleset.version(), ruleset.loadedAt().toString(),
                engine.rulesDir().toAbsolutePath().normalize().toString(),
                ruleset.rules().stream().map(RuleView::of).toList(), engine.lastRejected(), ShadowView.of(shadow));
    }

    /** Reloads now (the shadow too), for file systems where change notification does not reach the service. */
    @PostMapping("/api/v1/ruleset/reload")
    Map<String, Object> reload() {
        boolean replaced = engine.reload();
        shadow.reload();
        return Map.of("reloaded", replaced, "version", engine.ruleset().version(),
                "lastRejectedReload", engine.lastRejected() == null ? Map.of() : engine.lastRejected());
    }

    @ExceptionHandler(MalformedPayload.class)
    ProblemDetail malformed(MalformedPayload e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.detail());
    }

    /**
     * A rule threw (anything, an Error included) or the rules fired too often: no decision, and
     * nothing about the user in the answer; the live path refuses such a user with {@code code}.
     */
    @ExceptionHandler(RulesFailed.class)
    ProblemDetail failed(RulesFailed e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The policy reached no decision: " + e.getMessage() + ". The live path refuses such a user with "
                        + e.code() + ".");
        problem.setTitle("Policy evaluation failed");
        problem.setProperty("code", e.code());
        return problem;
    }

    /** A rule that loops was cut off: no decision, and nothing about the user in the answer. */
    @ExceptionHandler(EvaluationTimedOut.class)
    ProblemDetail timedOut(EvaluationTimedOut e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The policy reached no decision within " + e.timeout().toMillis() + " ms (ruleset "
                        + e.rulesetVersion() + "); a rule takes too long.");
        problem.setTitle("Policy evaluation timed out");
        return problem;
    }
}
