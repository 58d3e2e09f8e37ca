package org.scimgate.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/decisions}: the audit history as JSON, for tools that do not speak SQL. */
@RestController
@RequestMapping("/api/v1/decisions")
class DecisionController {

    private static final Set<String> OUTCOMES = Set.of("ACCEPTED", "ACCEPTED_WITH_WARNINGS", "REJECTED", "IGNORED",
            "MALFORMED", "UNAUTHENTICATED", "FORWARDED", "UNAVAILABLE", "UPSTREAM_ERROR", "PRECONDITION_FAILED",
            "NONCOMPLIANT_ACCOUNT");

    private final DecisionQuery query;
    private final List<DecisionAnnex> annexes;
    private final ObjectMapper json;

    DecisionController(DecisionQuery query, List<DecisionAnnex> annexes, ObjectMapper json) {
        this.query = query;
        this.annexes = List.copyOf(annexes);
        this.json = json;
    }

    @GetMapping
    DecisionQuery.Page list(@RequestParam(required = false) String userName,
                            @RequestParam(required = false) String outcome,
                            @RequestParam(required = false) String code,
                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                            @RequestParam(required = false) Long cursor,
                            @RequestParam(defaultValue = "50") int limit) {
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("outcome must be one of " + OUTCOMES);
        }
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be between 1 and 500");
        }
        return query.search(new DecisionQuery.Filter(userName, outcome, code, from, to, cursor, limit));
    }

    @GetMapping("/{decisionId}")
    ResponseEntity<Object> one(@PathVariable UUID decisionId) {
        return ResponseEntity.of(query.find(decisionId).map(this::withAnnexes));
    }

    /** The view, with what other modules keep about the decision (its remediation) where there is any. */
    private Object withAnnexes(DecisionView view) {
        if (annexes.isEmpty()) {
            return view;
        }
        ObjectNode node = json.valueToTree(view);
        for (DecisionAnnex annex : annexes) {
            Object about = annex.about(view.decisionId());
            if (about != null) {
                node.set(annex.name(), json.valueToTree(about));
            }
        }
        return node;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
