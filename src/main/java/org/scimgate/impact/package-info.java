/**
 * Policy impact: replaying the history against a candidate ({@code rules replay}, the impact API),
 * the shadow summary, and scanning the org ({@code genesys scan}, and on a schedule into the audit).
 * It reads the history through the audit's public types and owns no table.
 */
@ApplicationModule(allowedDependencies = {"policy", "scim", "database", "genesys", "audit", "decision"})
package org.scimgate.impact;

import org.springframework.modulith.ApplicationModule;
