/**
 * Policy governance: every ruleset that goes live kept with its files and provenance (through the
 * audit's {@link org.scimgate.audit.RulesetArchive}), the rulesets API with diffs, explaining a past
 * decision under the ruleset that made it, and four-eyes proposals that put a change live only
 * once a second named person approves it.
 */
@ApplicationModule(allowedDependencies = {"policy", "audit", "impact", "scim", "siem"})
@Owns(tables = {"policy_proposal", "policy_proposal_event", "policy_proposal_exported"})
package org.scimgate.governance;

import org.scimgate.Owns;
import org.springframework.modulith.ApplicationModule;
