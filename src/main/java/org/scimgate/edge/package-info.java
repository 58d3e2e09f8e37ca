/**
 * The service's edge: refusals before authentication counted per client address and minute (one
 * audited row each, a rate limit past a budget), read deadlines, and structured answers for what
 * Tomcat refuses itself. It records through the decision module and owns no table.
 */
@ApplicationModule(allowedDependencies = {"audit", "decision"})
package org.scimgate.edge;

import org.springframework.modulith.ApplicationModule;
