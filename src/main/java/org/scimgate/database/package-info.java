/**
 * The embedded PostgreSQL, the application role and start-up checks. It creates the schema (the
 * migrations) but owns none of its tables.
 */
@ApplicationModule(allowedDependencies = {})
package org.scimgate.database;

import org.springframework.modulith.ApplicationModule;
