/** Credentials, API keys and JWT roles, webhook authentication and signatures. */
@ApplicationModule(allowedDependencies = {"edge"})
package org.scimgate.security;

import org.springframework.modulith.ApplicationModule;
