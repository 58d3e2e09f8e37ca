package org.scimgate.audit;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/audit/verify}: recomputes the hash chain; 200 when intact, 409 with every break, every
 * decision older than a minute left unsealed and every sealing function or trigger that differs from the
 * migrations'; the same findings as {@code audit verify}. */
@RestController
class AuditController {

    private final AuditChain chain;

    AuditController(AuditChain chain) {
        this.chain = chain;
    }

    @GetMapping("/api/v1/audit/verify")
    ResponseEntity<AuditChain.Verification> verify() {
        AuditChain.Verification verification = chain.verify();
        return ResponseEntity.status(verification.intact() ? 200 : 409).body(verification);
    }
}
