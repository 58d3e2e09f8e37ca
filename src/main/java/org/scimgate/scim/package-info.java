/** The SCIM user model, reading and normalising payloads, redaction. */
@ApplicationModule(allowedDependencies = {})
package org.scimgate.scim;

import org.springframework.modulith.ApplicationModule;
