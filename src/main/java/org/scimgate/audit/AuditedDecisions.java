package org.scimgate.audit;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.repository.Repository;

interface AuditedDecisions extends Repository<AuditedDecision, UUID> {

    Optional<AuditedDecision> findById(UUID decisionId);
}
