package org.scimgate.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.EvaluationTimedOut;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.Ruleset;
import org.scimgate.policy.ShadowRuleset;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The live rules with their examples and how often each fired this week, the reference data they read (allowed
 * domains, departments, patterns: what most rejections come from), and Try it: a pasted SCIM user or webhook
 * envelope judged by the live ruleset exactly as {@code POST /api/v1/policy/evaluate} does, and by the shadow ruleset
 * where one is loaded as it judges live traffic (evaluate or refuse) — no audit row, no outbox row.
 */
@Controller
class PolicyPageController {

    private final PolicyEngine engine;
    private final ShadowRuleset shadow;
    private final OverviewQueries queries;
    private final ObjectMapper json;

    PolicyPageController(PolicyEngine engine, ShadowRuleset shadow, OverviewQueries queries, ObjectMapper json) {
        this.engine = engine;
        this.shadow = shadow;
        this.queries = queries;
        this.json = json;
    }

    record Verdict(String decision, String rulesetVersion, List<org.scimgate.policy.PolicyViolation> violations,
                   List<PolicyRule> firedRules) {

        /** Fired rules as the ruleset that evaluated knew them, not a reloaded one. */
        static Verdict of(Evaluation evaluation) {
            return new Verdict(evaluation.verdict().name(), evaluation.rulesetVersion(), evaluation.violations(),
                    evaluation.firedRules().stream().map(evaluation::firedRule).filter(Objects::nonNull).toList());
        }
    }

    @GetMapping("/console/policy")
    String policy(Model model) {
        return page(model, "", null, null);
    }

    @PostMapping("/console/policy/try")
    String tryIt(@RequestParam(defaultValue = "") String payload, Model model) {
        try {
            JsonNode body = json.readTree(payload);
            if (body == null || !body.isObject()) {
                return page(model, payload, null, "Paste a JSON object: a SCIM user or a webhook envelope.");
            }
            boolean envelope = body.has("eventType") && body.has("data");
            ScimUser user = ScimUserReader.read(envelope ? body.get("data") : body, envelope ? "data" : "body");
            Verdict live = Verdict.of(engine.evaluate(user));
            Evaluation shadowEvaluation = shadow.evaluateOrRefuse(user);
            model.addAttribute("shadowVerdict", shadowEvaluation == null ? null : Verdict.of(shadowEvaluation));
            return page(model, payload, live, null);
        } catch (JsonProcessingException e) {
            return page(model, payload, null, "This is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ").");
        } catch (MalformedPayload e) {
            return page(model, payload, null, e.detail());
        } catch (EvaluationTimedOut e) {
            return page(model, payload, null, "The policy reached no decision within " + e.timeout().toMillis()
                    + " ms; a rule probably loops.");
        }
    }

    private String page(Model model, String payload, Verdict verdict, String problem) {
        Ruleset ruleset = engine.ruleset();
        model.addAttribute("ruleset", ruleset);
        model.addAttribute("rules", ruleset.rules());
        model.addAttribute("examples", ruleset.examplesByRule());
        model.addAttribute("referenceLists", ruleset.referenceLists());
        model.addAttribute("referencePatterns", ruleset.referencePatterns());
        model.addAttribute("fired", queries.firedSince(Instant.now().minus(Duration.ofDays(7))));
        model.addAttribute("payload", payload);
        model.addAttribute("verdict", verdict);
        model.addAttribute("problem", problem);
        model.addAttribute("shadow", shadow);
        return "console/policy";
    }
}
