package org.scimgate.governance;

import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/decisions/{id}/explain}: a past decision evaluated again under the ruleset that made it. */
@RestController
class ExplainController {

    private final Explanation explanation;

    ExplainController(Explanation explanation) {
        this.explanation = explanation;
    }

    @GetMapping("/api/v1/decisions/{decisionId}/explain")
    Explanation.Explained explain(@PathVariable UUID decisionId) {
        return explanation.explain(decisionId);
    }

    @ExceptionHandler(Explanation.Unexplainable.class)
    ProblemDetail unexplainable(Explanation.Unexplainable e) {
        return ProblemDetail.forStatusAndDetail(e.notFound ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT, e.getMessage());
    }
}
