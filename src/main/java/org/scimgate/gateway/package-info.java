/** The inline SCIM gateway to Genesys Cloud. */
@ApplicationModule(allowedDependencies = {"policy", "audit", "scim", "security", "genesys", "decision", "edge"})
package org.scimgate.gateway;

import org.springframework.modulith.ApplicationModule;
