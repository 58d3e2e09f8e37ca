/**
 * Rules: compiling (one path, with the capability check), examples, reloads, evaluation, the
 * {@code rules} command, and the policy API in {@code policy.web}.
 */
@ApplicationModule(allowedDependencies = "scim")
package org.scimgate.policy;

import org.springframework.modulith.ApplicationModule;
