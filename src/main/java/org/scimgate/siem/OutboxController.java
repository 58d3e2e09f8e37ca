package org.scimgate.siem;

import java.util.LinkedHashMap;
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

/**
 * {@code /api/v1/outbox}: what the SIEM sinks have not received, each sink apart, and re-driving
 * records that gave up, for one sink ({@code ?sink=}) or every sink.
 */
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
                             @RequestParam(defaultValue = "100") int limit,
                             @RequestParam(required = false) String sink) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES);
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000");
        }
        Outbox.OutboxStats stats = outbox.stats();
        Map<String, Outbox.SinkStats> sinks = outbox.statsBySink();
        if (sink != null && !sinks.containsKey(sink)) {
            throw new IllegalArgumentException("no SIEM sink " + sink + "; the sinks are " + sinks.keySet());
        }
        List<Outbox.OutboxRow> rows = outbox.list(status, sink, limit);
        Map<String, Object> bySink = new LinkedHashMap<>();
        sinks.forEach((name, own) -> bySink.put(name, Map.of("configured", own.active(), "pending", own.pending(),
                "dead", own.dead(), "oldestPendingSeconds", own.oldestPendingAge().toSeconds())));
        return Map.of("pending", stats.pending(), "dead", stats.dead(), "sinks", bySink, "items", rows);
    }

    @PostMapping("/{decisionId}/retry")
    ResponseEntity<Map<String, Object>> retry(@PathVariable UUID decisionId, @RequestParam(required = false) String sink) {
        if (!outbox.redrive(decisionId, sink)) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "no DEAD outbox record " + decisionId + (sink == null ? "" : " for sink " + sink))).build();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("decisionId", decisionId);
        answer.put("status", "PENDING");
        if (sink != null) {
            answer.put("sink", sink);
        }
        return ResponseEntity.ok(answer);
    }

    @PostMapping("/retry-dead")
    Map<String, Object> retryAllDead(@RequestParam(required = false) String sink) {
        return Map.of("redriven", outbox.redriveAllDead(sink));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
