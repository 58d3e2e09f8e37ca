package org.scimgate.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.scimgate.audit.ChainStatus;
import org.scimgate.audit.DecisionQuery;
import org.scimgate.audit.DecisionView;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.ShadowRuleset;
import org.scimgate.remediation.Remediations;
import org.scimgate.siem.Outbox;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** The audit, filtered and paged newest first (see {@link DecisionQuery}), and one decision in full. */
@Controller
class DecisionsController {

    static final int PAGE_SIZE = 25;
    /** How far back the code list looks for codes of rules no longer live. */
    private static final Duration CODES_SEEN = Duration.ofDays(90);

    private final DecisionQuery query;
    private final ShadowRuleset shadow;
    private final ChainStatus chain;
    private final Outbox outbox;
    private final Remediations remediations;
    private final PolicyEngine engine;
    private final OverviewQueries tallies;

    DecisionsController(DecisionQuery query, ShadowRuleset shadow, ChainStatus chain, Outbox outbox,
                        Remediations remediations, PolicyEngine engine, OverviewQueries tallies) {
        this.query = query;
        this.shadow = shadow;
        this.chain = chain;
        this.outbox = outbox;
        this.remediations = remediations;
        this.engine = engine;
        this.tallies = tallies;
    }

    /** Times are entered and shown in UTC; the page's script adds the reader's local time beside each. */
    @GetMapping("/console/decisions")
    String decisions(@RequestParam(required = false) String user, @RequestParam(required = false) String outcome,
                     @RequestParam(required = false) String code, @RequestParam(required = false) String from,
                     @RequestParam(required = false) String to, @RequestParam(required = false) String cursor,
                     Model model) {
        DecisionFilters filters = DecisionFilters.of(user, outcome, code, from, to, cursor);
        DecisionQuery.Page page = query.search(filters.query(PAGE_SIZE));
        model.addAttribute("page", page);
        // The shadow column only where there is a shadow now, or there was one for a decision on this page.
        model.addAttribute("shadowColumn", shadow.configured() || page.items().stream().anyMatch(d -> d.shadow() != null));
        model.addAttribute("diverging", page.items().stream().filter(d -> {
            ShadowVerdict verdict = ShadowVerdict.of(d);
            return verdict != null && verdict.differs();
        }).map(DecisionView::decisionId).collect(Collectors.toSet()));
        model.addAttribute("outcomes", ConsoleController.outcomes());
        model.addAttribute("codes", knownCodes(filters.code()));
        model.addAttribute("filters", filters);
        model.addAttribute("timeFormat", DecisionFilters.TIME_FORMAT);
        return "console/decisions";
    }

    /** One decision; the filters it was reached with ride along, for the way back. */
    @GetMapping("/console/decisions/{decisionId}")
    String decision(@PathVariable UUID decisionId, @RequestParam(required = false) String user,
                    @RequestParam(required = false) String outcome, @RequestParam(required = false) String code,
                    @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                    @RequestParam(required = false) String cursor, Model model) {
        DecisionFilters filters = DecisionFilters.of(user, outcome, code, from, to, cursor);
        DecisionView decision = query.find(decisionId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no decision " + decisionId + "."));
        model.addAttribute("decision", decision);
        model.addAttribute("shadow", ShadowVerdict.of(decision));
        model.addAttribute("payload", decision.payload() == null ? null : decision.payload().toPrettyString());
        model.addAttribute("delivery", outbox.delivery(decisionId).orElse(null));
        model.addAttribute("chainPosition", chain.position(decisionId).orElse(null));
        model.addAttribute("remediation", remediations.forDecision(decisionId).stream().findFirst().orElse(null));
        model.addAttribute("filters", filters);
        return "console/decision";
    }

    /** The live rules' codes and those seen in recent decisions, sorted; and the chosen one, known or not. */
    private List<String> knownCodes(String chosen) {
        SortedSet<String> codes = engine.ruleset().rules().stream().map(PolicyRule::code)
                .collect(Collectors.toCollection(TreeSet::new));
        codes.addAll(tallies.codesSince(Instant.now().minus(CODES_SEEN)));
        if (chosen != null) {
            codes.add(chosen);
        }
        return List.copyOf(codes);
    }
}
