package org.scimgate.remediation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/**
 * One action about one decision, as the API, the console and the decision view show it.
 * {@code lastStatus} and {@code lastAnswer} are Genesys' answer to the last call (or, without a
 * call, why none was made); {@code codes} the codes of the enforced violations that called for it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemediationAction(UUID id, UUID decisionId, String action, String targetId, String userName,
                                @JsonRawValue String codes, String status, int attempts, Integer lastStatus,
                                String lastAnswer, Instant createdAt, Instant updatedAt, Instant nextAttemptAt,
                                Instant settledAt, Instant releasedAt) {

    /** The statuses an action can have. */
    public static final java.util.List<String> STATUSES =
            java.util.List.of("PENDING", "HELD", "DONE", "DRYRUN", "SKIPPED", "FAILED", "DEAD", "CANCELLED");
}
