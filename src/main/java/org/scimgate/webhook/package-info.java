/** The Genesys Cloud workflow endpoint and its answers. */
@ApplicationModule(allowedDependencies = {"policy", "audit", "scim", "security", "decision", "edge"})
package org.scimgate.webhook;

import org.springframework.modulith.ApplicationModule;
