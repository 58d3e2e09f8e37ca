/** The Genesys Cloud client: token, SCIM calls, correlation, the {@code genesys} command. */
@ApplicationModule(allowedDependencies = {})
package org.scimgate.genesys;

import org.springframework.modulith.ApplicationModule;
