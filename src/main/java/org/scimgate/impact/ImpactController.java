package org.scimgate.impact;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.Ruleset;
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
 * files laid over the live rules. The candidate goes through the live engine's own compiler and
 * examples check before any of it runs; one analysis runs at a time.
 */
@RestController
class ImpactController {

    private final PolicyEngine engine;
    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final Semaphore oneAtATime = new Semaphore(1);

    ImpactController(PolicyEngine engine, DataSource dataSource, ObjectMapper json) {
        this.engine = engine;
        this.dataSource = dataSource;
        this.json = json;
    }

    /** {@code files} maps paths relative to the rules directory to their new content, or null to delete one. */
    record ImpactRequest(String since, String from, String to, Map<String, String> files) {
    }

    /** Another analysis holds the server's cores. */
    static final class Busy extends RuntimeException {
        Busy() {
            super("another impact analysis is running; retry when it has finished", null, false, false);
        }
    }

    @PostMapping("/api/v1/policy/impact")
    ImpactReport impact(@RequestBody ImpactRequest request) throws IOException, SQLException {
        ReplayWindow window = ReplayWindow.of(request.since(), request.from(), request.to(), clock);
        if (!oneAtATime.tryAcquire()) {
            throw new Busy();
        }
        try (CandidateOverlay overlay = CandidateOverlay.write(engine.rulesDir(), request.files());
             Ruleset candidate = engine.candidate(overlay.directory());
             Connection connection = dataSource.getConnection()) {
            ImpactReport.NotFaithful notFaithful = SensitiveReads.find(overlay.directory(),
                    candidate.sensitiveAttributes());
            return new Replay(candidate, json).run(new DecisionHistory(connection), window,
                    engine.ruleset().version(), notFaithful);
        } finally {
            oneAtATime.release();
        }
    }

    @ExceptionHandler(RulesetRejected.class)
    ProblemDetail refused(RulesetRejected e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY,
                "The candidate ruleset was refused with " + e.problems().size() + " error(s); nothing was replayed.");
        problem.setTitle("Candidate ruleset refused");
        problem.setProperty("errors", e.problems().stream().map(p -> Map.of("file", p.file(), "line", p.line(),
                "column", p.column(), "message", p.message(), "text", p.toString())).toList());
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(Busy.class)
    ResponseEntity<ProblemDetail> busy(Busy e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "10")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()));
    }
}
