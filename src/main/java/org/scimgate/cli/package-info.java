/**
 * The command line: {@code scimgate rules|audit|genesys …} on picocli. It parses and prints; the
 * work is done by the modules' own commands. It owns no table.
 */
@ApplicationModule(allowedDependencies = {"policy", "impact", "genesys", "audit", "database", "governance"})
package org.scimgate.cli;

import org.springframework.modulith.ApplicationModule;
