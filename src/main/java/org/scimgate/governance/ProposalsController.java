package org.scimgate.governance;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/policy/proposals}: propose a change (files laid over the live rules, as the impact
 * API takes them, with a note and the period to replay), approve it as another person, reject or
 * withdraw it with a reason. The caller is the named person of their key.
 */
@RestController
class ProposalsController {

    private final Proposals proposals;

    ProposalsController(Proposals proposals) {
        this.proposals = proposals;
    }

    record ProposalRequest(String note, Map<String, String> files, String since, String from, String to) {
    }

    record Reason(String reason) {
    }

    @PostMapping("/api/v1/policy/proposals")
    ResponseEntity<Proposals.Proposal> propose(@RequestBody ProposalRequest request, Authentication who)
            throws IOException, SQLException {
        return ResponseEntity.status(HttpStatus.CREATED).body(proposals.propose(who.getName(), request.note(),
                request.files(), request.since(), request.from(), request.to()));
    }

    @GetMapping("/api/v1/policy/proposals")
    Map<String, List<Proposals.Proposal>> list() {
        return Map.of("proposals", proposals.list());
    }

    @GetMapping("/api/v1/policy/proposals/{id}")
    ResponseEntity<Proposals.Proposal> one(@PathVariable UUID id) {
        return ResponseEntity.of(proposals.find(id));
    }

    @PostMapping("/api/v1/policy/proposals/{id}/approve")
    Proposals.Proposal approve(@PathVariable UUID id, Authentication who) {
        return proposals.approve(id, who.getName());
    }

    @PostMapping("/api/v1/policy/proposals/{id}/reject")
    Proposals.Proposal reject(@PathVariable UUID id, @RequestBody Reason reason, Authentication who) {
        return proposals.reject(id, who.getName(), reason.reason());
    }

    @PostMapping("/api/v1/policy/proposals/{id}/withdraw")
    Proposals.Proposal withdraw(@PathVariable UUID id, @RequestBody Reason reason, Authentication who) {
        return proposals.withdraw(id, who.getName(), reason.reason());
    }

    /** The candidate did not compile or its examples failed: nothing was recorded. */
    @ExceptionHandler(org.scimgate.policy.RulesetRejected.class)
    ProblemDetail rejected(org.scimgate.policy.RulesetRejected e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY,
                "The proposed ruleset was refused with " + e.problems().size() + " error(s); no proposal was recorded.");
        problem.setTitle("Proposed ruleset refused");
        problem.setProperty("errors", e.problems().stream().map(Object::toString).toList());
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(org.scimgate.impact.ImpactAnalysis.Busy.class)
    ProblemDetail busy(org.scimgate.impact.ImpactAnalysis.Busy e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
    }

    @ExceptionHandler(Proposals.Refused.class)
    ProblemDetail refused(Proposals.Refused e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status), e.getMessage());
    }
}
