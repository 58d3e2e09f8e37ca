package org.scimgate.console;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.Collectors;
import org.scimgate.audit.DecisionQuery;
import org.scimgate.audit.ChainStatus;
import org.scimgate.audit.DecisionView;
import org.scimgate.policy.ShadowRuleset;
import org.scimgate.remediation.Remediations;
import org.scimgate.siem.Outbox;
import org.springframework.format.annotation.DateTimeFormat;
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

    private final DecisionQuery query;
    private final ShadowRuleset shadow;
    private final ChainStatus chain;
    private final Outbox outbox;
    private final Remediations remediations;

    DecisionsController(DecisionQuery query, ShadowRuleset shadow, ChainStatus chain, Outbox outbox,
                        Remediations remediations) {
        this.query = query;
        this.shadow = shadow;
        this.chain = chain;
        this.outbox = outbox;
        this.remediations = remediations;
    }

    /** Times are entered and shown in UTC ({@code datetime-local} fields carry no zone). */
    @GetMapping("/console/decisions")
    String decisions(@RequestParam(required = false) String user, @RequestParam(required = false) String outcome,
                     @RequestParam(required = false) String code,
                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime from,
                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime to,
                     @RequestParam(required = false) Long cursor, Model model) {
        DecisionQuery.Filter filter = filter(user, outcome, code, from, to, cursor);
        String chosenOutcome = filter.outcome();
        DecisionQuery.Page page = query.search(filter);
        model.addAttribute("page", page);
        // The shadow column only where there is a shadow now, or there was one for a decision on this page.
        model.addAttribute("shadowColumn", shadow.configured() || page.items().stream().anyMatch(d -> d.shadow() != null));
        model.addAttribute("diverging", page.items().stream().filter(d -> {
            ShadowVerdict verdict = ShadowVerdict.of(d);
            return verdict != null && verdict.differs();
        }).map(DecisionView::decisionId).collect(Collectors.toSet()));
        model.addAttribute("outcomes", ConsoleController.outcomes());
        model.addAttribute("user", user);
        model.addAttribute("outcome", chosenOutcome);
        model.addAttribute("code", code);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("cursor", cursor);
        return "console/decisions";
    }

    @GetMapping("/console/decisions/{decisionId}")
    String decision(@PathVariable UUID decisionId, Model model) {
        DecisionView decision = query.find(decisionId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no decision " + decisionId));
        model.addAttribute("decision", decision);
        model.addAttribute("shadow", ShadowVerdict.of(decision));
        model.addAttribute("payload", decision.payload() == null ? null : decision.payload().toPrettyString());
        model.addAttribute("delivery", outbox.delivery(decisionId).orElse(null));
        model.addAttribute("chainPosition", chain.position(decisionId).orElse(null));
        model.addAttribute("remediation", remediations.forDecision(decisionId).stream().findFirst().orElse(null));
        return "console/decision";
    }

    /** The filters as the page and its CSV export read them; an outcome that is none of ours filters nothing. */
    static DecisionQuery.Filter filter(String user, String outcome, String code, LocalDateTime from, LocalDateTime to,
                                       Long cursor) {
        String chosenOutcome = outcome != null && ConsoleController.outcomes().contains(outcome) ? outcome : null;
        return new DecisionQuery.Filter(blankToNull(user), chosenOutcome, blankToNull(code), utc(from), utc(to),
                cursor, PAGE_SIZE);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant utc(LocalDateTime time) {
        return time == null ? null : time.toInstant(ZoneOffset.UTC);
    }
}
