package org.scimgate.remediation;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/remediations}: the actions (an analyst reads them), and an operator's release of a
 * HELD action, retry of a FAILED or DEAD one, and cancel of one not being carried out.
 */
@RestController
@RequestMapping("/api/v1/remediations")
class RemediationController {

    private static final Logger LOG = LoggerFactory.getLogger(RemediationController.class);

    private final Remediations remediations;

    RemediationController(Remediations remediations) {
        this.remediations = remediations;
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String status,
                             @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !RemediationAction.STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + RemediationAction.STATUSES);
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000");
        }
        List<RemediationAction> items = remediations.list(status, limit);
        Remediations.Figures f = remediations.figures();
        return Map.of("pending", f.pending(), "held", f.held(), "failed", f.failed(), "dead", f.dead(),
                "startedLastHour", f.startedLastHour(), "items", items);
    }

    @PostMapping("/{id}/release")
    ResponseEntity<Map<String, Object>> release(@PathVariable UUID id, Authentication who) {
        return changed(id, remediations.release(id), "released", "no HELD action ", who);
    }

    @PostMapping("/{id}/retry")
    ResponseEntity<Map<String, Object>> retry(@PathVariable UUID id, Authentication who) {
        return changed(id, remediations.retry(id), "retried", "no FAILED or DEAD action ", who);
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<Map<String, Object>> cancel(@PathVariable UUID id, Authentication who) {
        return changed(id, remediations.cancel(id, who.getName()), "cancelled",
                "no action that can be cancelled now (settled, or its call is in flight) ", who);
    }

    private static ResponseEntity<Map<String, Object>> changed(UUID id, boolean changed, String done, String missing,
                                                               Authentication who) {
        if (!changed) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, missing + id)).build();
        }
        LOG.info("Remediation action {} {} through the API by the {} role", id, done, who.getName());
        return ResponseEntity.ok(Map.of("id", id, "result", done));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
