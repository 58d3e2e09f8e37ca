package org.scimgate.impact;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import org.scimgate.policy.RulesetRejected;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/policy/impact}: the replay of {@code rules replay} for a candidate sent as
 * files laid over the live rules ({@link ImpactAnalysis}, which the console runs too).
 */
@RestController
class ImpactController {

    private final ImpactAnalysis analysis;

    ImpactController(ImpactAnalysis analysis) {
        this.analysis = analysis;
    }

    /** {@code files} maps paths relative to the rules directory to their new content, or null to delete one. */
    record ImpactRequest(String since, String from, String to, Map<String, String> files) {
    }

    @PostMapping("/api/v1/policy/impact")
    ImpactReport impact(@RequestBody ImpactRequest request) throws IOException, SQLException {
        return analysis.run(request.since(), request.from(), request.to(), request.files());
    }

    @ExceptionHandler(RulesetRejected.class)
    ProblemDetail refused(RulesetRejected e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY,
                "The candidate ruleset was refused with " + e.problems().size() + " error(s); nothing was replayed.");
        problem.setTitle("Candidate ruleset refused");
        problem.setProperty("errors", e.problems().stream().map(ImpactController::error).toList());
        return problem;
    }

    /** One problem as the API gives it: its parts (rule and hint when it has them), and {@code text} as every other surface writes it. */
    private static Map<String, Object> error(org.scimgate.policy.RuleProblem p) {
        Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("file", p.file());
        error.put("line", p.line());
        error.put("column", p.column());
        if (p.rule() != null) {
            error.put("rule", p.rule());
        }
        error.put("message", p.message());
        if (p.hint() != null) {
            error.put("hint", p.hint());
        }
        error.put("text", p.toString());
        return error;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(ImpactAnalysis.Busy.class)
    ResponseEntity<ProblemDetail> busy(ImpactAnalysis.Busy e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "10")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()));
    }
}
