/**
 * The analyst console: server-rendered pages over the audit, the live policy and the SIEM outbox,
 * signed in with the same API keys as {@code /api/**}. It reads; the only thing it changes is an
 * outbox record an operator re-drives, through {@link org.scimgate.siem.Outbox}. It owns no table.
 */
@ApplicationModule(allowedDependencies = {"audit", "impact", "policy", "scim", "siem"})
package org.scimgate.console;

import org.springframework.modulith.ApplicationModule;
