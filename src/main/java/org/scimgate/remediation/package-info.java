/**
 * Corrective enforcement: an account Genesys already holds that breaks an enforced rule with a
 * {@code @remedy} is corrected in Genesys (today: deactivated). The database writes each action in
 * the decision's own transaction; a relay carries it out under a lease, with retries, an hourly cap
 * across instances and a mode ({@code off}, {@code dryrun}, {@code on}). Other modules read and steer
 * actions through {@link org.scimgate.remediation.Remediations}.
 */
@ApplicationModule(allowedDependencies = {"audit", "genesys", "siem"})
@Owns(tables = "remediation_action",
        functions = {"remediation_enqueue", "remediation_claim", "remediation_renew", "remediation_settle",
                "remediation_retry_later", "remediation_release_leases", "remediation_release", "remediation_retry",
                "remediation_cancel", "remediation_exported"})
package org.scimgate.remediation;

import org.scimgate.Owns;
import org.springframework.modulith.ApplicationModule;
