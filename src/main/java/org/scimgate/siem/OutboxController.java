package org.scimgate.siem;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/outbox}: what the SIEM has not received, and re-driving records that gave up. */
@RestController
@RequestMapping("/api/v1/outbox")
class OutboxController {

    private static final Set<String> STATUSES = Set.of("PENDING", "DELIVERED", "DEAD");

    private final Outbox outbox;

    OutboxController(Outbox outbox) {
        this.outbox = outbox;
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(defaultValue = "DEAD") String status,
                             @RequestParam(defaultValue = "100") int limit) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES);
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000");
        }
        Outbox.OutboxStats stats = outbox.stats();
        List<Outbox.OutboxRow> rows = outbox.list(status, limit);
        return Map.of("pending", stats.pending(), "dead", stats.dead(), "items", rows);
    }

    @PostMapping("/{decisionId}/retry")
    ResponseEntity<Map<String, Object>> retry(@PathVariable UUID decisionId) {
        if (!outbox.redrive(decisionId)) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "no DEAD outbox record " + decisionId)).build();
        }
        return ResponseEntity.ok(Map.of("decisionId", decisionId, "status", "PENDING"));
    }

    @PostMapping("/retry-dead")
    Map<String, Object> retryAllDead() {
        return Map.of("redriven", outbox.redriveAllDead());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
