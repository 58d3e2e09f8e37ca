package org.scimgate.governance;

import java.time.Duration;
import java.util.List;
import org.scimgate.siem.PolicyChange;
import org.scimgate.siem.PolicyChangeExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Exports every step of every proposal to the SIEM, at least once: steps not yet marked exported
 * are sent in order and marked once the SIEM took them; a failed run is retried on the next.
 */
@Component
class ProposalExport implements SchedulingConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(ProposalExport.class);
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final int BATCH = 100;

    private final JdbcClient jdbc;
    private final PolicyChangeExport siem;

    ProposalExport(JdbcClient jdbc, PolicyChangeExport siem) {
        this.jdbc = jdbc;
        this.siem = siem;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        if (siem.enabled()) {
            tasks.addFixedDelayTask(new FixedDelayTask(this::export, INTERVAL, INTERVAL));
        }
    }

    /** Sends the steps not yet exported; returns how many went out. */
    int export() {
        List<PolicyChange> changes = jdbc.sql("""
                        SELECT e.seq, e.proposal_id, e.event, e.actor, e.reason, p.base_version, p.candidate_version, e.at
                        FROM policy_proposal_event e JOIN policy_proposal p ON p.proposal_id = e.proposal_id
                        WHERE NOT EXISTS (SELECT 1 FROM policy_proposal_exported x WHERE x.seq = e.seq)
                        ORDER BY e.seq LIMIT ?""").param(BATCH)
                .query((rs, n) -> PolicyChange.of(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant().toString()))
                .list();
        if (changes.isEmpty() || !siem.deliver(changes)) {
            return 0;
        }
        for (PolicyChange change : changes) {
            jdbc.sql("INSERT INTO policy_proposal_exported (seq) VALUES (?) ON CONFLICT DO NOTHING").param(change.seq()).update();
        }
        LOG.info("Exported {} policy change step(s) to the SIEM", changes.size());
        return changes.size();
    }
}
