package org.scimgate.governance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.scimgate.audit.RulesetArchive;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.Ruleset;
import org.scimgate.policy.ShadowRuleset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps every ruleset that goes live, live or shadow: the one loaded at start-up, each change on
 * disk, and each one an approved proposal wrote (named by its author and approver). With
 * {@code scimgate.policy.changes=proposals} it is also the gate: a changed ruleset no approval
 * wrote is refused, and the last approved one stays live, at start-up too ({@link StartUpGate}).
 */
@Component
class RulesetKeeping {

    private static final Logger LOG = LoggerFactory.getLogger(RulesetKeeping.class);

    private final RulesetArchive archive;
    /** Versions an approval is about to write, with who proposed and approved them. */
    private final Map<String, RulesetArchive.Provenance> approved = new ConcurrentHashMap<>();

    private final JdbcClient jdbc;

    RulesetKeeping(RulesetArchive archive, PolicyEngine engine, ShadowRuleset shadow, ChangeSettings settings,
                   JdbcClient jdbc) {
        this.archive = archive;
        this.jdbc = jdbc;
        RulesetArchive.Provenance startedBy = RulesetArchive.Provenance.startUp();
        if (settings.proposalsOnly()) {
            startedBy = new StartUpGate(archive, engine, jdbc).check();
        }
        keep(engine.ruleset(), "live", startedBy);
        engine.onLive(ruleset -> {
            RulesetArchive.Provenance by = approved.remove(ruleset.version());
            keep(ruleset, "live", by == null ? RulesetArchive.Provenance.filesChanged() : by);
        });
        boolean[] first = {true};
        shadow.onLive(ruleset -> {
            keep(ruleset, "shadow", first[0] ? RulesetArchive.Provenance.startUp() : RulesetArchive.Provenance.filesChanged());
            first[0] = false;
        });
        if (settings.proposalsOnly()) {
            engine.gate(candidate -> approved.containsKey(candidate.version()) || approvedElsewhere(candidate.version()) ? null
                    : "ruleset " + candidate.version() + " was written to the rules directory without an approved "
                    + "proposal (scimgate.policy.changes=proposals); propose it with POST /api/v1/policy/proposals");
        }
    }

    /**
     * Whether a proposal for {@code version} was approved, on any instance: the instance that
     * approved it wrote the files, and every other instance watching the same directory must let
     * them live too.
     */
    private boolean approvedElsewhere(String version) {
        try {
            return jdbc.sql("""
                            SELECT EXISTS (SELECT 1 FROM policy_proposal p JOIN policy_proposal_event e
                                           ON e.proposal_id = p.proposal_id
                                           WHERE p.candidate_version = ? AND e.event = 'approved')""")
                    .param(version).query(Boolean.class).single();
        } catch (RuntimeException e) {
            LOG.error("Cannot read the approved proposals; ruleset {} is refused until it can be checked", version, e);
            return false;
        }
    }

    /** The next time {@code version} goes live, it is kept as written by this approved proposal. */
    void expect(String version, RulesetArchive.Provenance provenance) {
        approved.put(version, provenance);
    }

    void forget(String version) {
        approved.remove(version);
    }

    private void keep(Ruleset ruleset, String kind, RulesetArchive.Provenance provenance) {
        try {
            archive.keep(ruleset.version(), kind, ruleset.files(), provenance);
        } catch (RuntimeException e) {
            // The ruleset is live either way: a database outage must not stop the policy.
            LOG.error("Could not keep {} ruleset {} in the database; it is live but not yet kept", kind, ruleset.version(), e);
        }
    }
}
