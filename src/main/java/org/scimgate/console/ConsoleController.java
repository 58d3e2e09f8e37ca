package org.scimgate.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.Ruleset;
import org.scimgate.policy.ShadowRuleset;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

/** Sign-in at {@code /}, the overview, and the page a refused action lands on. */
@Controller
class ConsoleController {

    private final OverviewQueries queries;
    private final PolicyEngine engine;
    private final ShadowRuleset shadow;
    private final ObjectMapper json;
    private final Clock clock;

    private final boolean jwtSignIn;

    ConsoleController(OverviewQueries queries, PolicyEngine engine, ShadowRuleset shadow, ObjectMapper json,
                      ObjectProvider<JwtDecoder> jwtDecoder) {
        this.queries = queries;
        this.shadow = shadow;
        this.jwtSignIn = jwtDecoder.getIfAvailable() != null;
        this.engine = engine;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    @GetMapping("/")
    String signIn(Authentication authentication, Model model) {
        model.addAttribute("jwtSignIn", jwtSignIn);
        boolean signedIn = authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
        return signedIn ? "redirect:/console" : "console/signin";
    }

    @GetMapping("/console")
    String overview(Model model) throws JsonProcessingException {
        Overview overview = queries.overview(clock.instant());
        Ruleset ruleset = engine.ruleset();
        model.addAttribute("overview", overview);
        model.addAttribute("lastDayJson", json.writeValueAsString(chart(overview.lastDay())));
        model.addAttribute("lastMonthJson", json.writeValueAsString(chart(overview.lastMonth())));
        model.addAttribute("rulesetVersion", ruleset.version());
        model.addAttribute("rulesetLoadedAt", ruleset.loadedAt());
        model.addAttribute("rejected", engine.lastRejected());
        model.addAttribute("shadow", shadow);
        model.addAttribute("shadowRuleset", shadow.ruleset());
        model.addAttribute("shadowRejected", shadow.lastRejected());
        return "console/overview";
    }

    /** Where Spring Security forwards a refused request: a missing role or a stale CSRF token. */
    @RequestMapping("/console/denied")
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String denied() {
        return "console/denied";
    }

    /** The shape overview.js hands to Chart.js: labels and one dataset per outcome. */
    private static Map<String, Object> chart(Overview.Series series) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("labels", series.labels());
        chart.put("datasets", series.byOutcome().entrySet().stream()
                .map(e -> Map.of("label", e.getKey(), "data", e.getValue())).toList());
        return chart;
    }

    static List<String> outcomes() {
        return OverviewQueries.OUTCOMES;
    }
}
