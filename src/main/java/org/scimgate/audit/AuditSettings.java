package org.scimgate.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit's hash chain.
 *
 * @param sealInterval pause between sealing runs; rows are chained within about this long after commit
 * @param sealBatch    rows linked per transaction
 * @param sealing      whether this instance seals (any number may; one seals at a time)
 * @param checkpointInterval how often the chain's head hash is exported to the SIEM
 */
@ConfigurationProperties("scimgate.audit")
public record AuditSettings(@DefaultValue("1s") Duration sealInterval, @DefaultValue("1000") int sealBatch,
                            @DefaultValue("true") boolean sealing, @DefaultValue("5m") Duration checkpointInterval) {
}
