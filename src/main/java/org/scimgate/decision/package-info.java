/** Turning an evaluation into an audited decision, and its metrics, for both entry points. */
@ApplicationModule(allowedDependencies = {"policy", "audit", "scim"})
package org.scimgate.decision;

import org.springframework.modulith.ApplicationModule;
