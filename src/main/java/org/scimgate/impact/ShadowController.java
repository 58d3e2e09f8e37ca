package org.scimgate.impact;

import java.time.Clock;
import org.scimgate.policy.Ruleset;
import org.scimgate.policy.ShadowRuleset;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/policy/shadow?since=7d}: how the shadow ruleset's verdicts on live traffic
 * differ from the live decisions, by outcome pair and by rule, with the same window as the impact
 * API ({@code since}, or {@code from}/{@code to}).
 */
@RestController
class ShadowController {

    private static final String DEFAULT_SINCE = "7d";

    private final ShadowSummary summary;
    private final ShadowRuleset shadow;
    private final Clock clock = Clock.systemUTC();

    ShadowController(ShadowSummary summary, ShadowRuleset shadow) {
        this.summary = summary;
        this.shadow = shadow;
    }

    @GetMapping("/api/v1/policy/shadow")
    ShadowSummary.Report shadow(@RequestParam(required = false) String since,
                                @RequestParam(required = false) String from,
                                @RequestParam(required = false) String to) {
        ReplayWindow window = ReplayWindow.of(since == null && from == null && to == null ? DEFAULT_SINCE : since,
                from, to, clock);
        Ruleset ruleset = shadow.ruleset();
        return summary.summarise(window, new ShadowSummary.Current(shadow.configured(),
                ruleset == null ? null : ruleset.version(), shadow.lastRejected()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
