/**
 * The decision log (group commit), the hash chain and its sealing, the hourly tallies folded from
 * the chain, and the decisions and verify API. Other modules read the audit through its public
 * types: {@link org.scimgate.audit.DecisionQuery}, {@link org.scimgate.audit.AuditChain},
 * {@link org.scimgate.audit.ChainStatus}, {@link org.scimgate.audit.Tallies},
 * {@link org.scimgate.audit.DecisionSummaries}, {@link org.scimgate.audit.JudgedHistory} and
 * {@link org.scimgate.audit.ShadowVerdicts} and {@link org.scimgate.audit.RulesetArchive} (every ruleset that went
 * live, kept with its files and covered by the verification).
 */
@ApplicationModule(allowedDependencies = {})
@Owns(tables = {"decision_audit", "audit_chain", "audit_unsealed", "audit_checkpoint", "decision_tally",
        "violation_tally", "fired_rule_tally", "tally_folded", "decisions", "decision_violations",
        "kept_ruleset_file", "kept_ruleset"},
        functions = {"audit_canonical", "audit_canonical_field", "audit_canonical_length", "audit_seal",
                "audit_enqueue_unsealed", "audit_checkpoint_exported", "decision_audit_refuse_change",
                "decision_tally_fold", "decision_audit_check_insert"})
package org.scimgate.audit;

import org.scimgate.Owns;
import org.springframework.modulith.ApplicationModule;
