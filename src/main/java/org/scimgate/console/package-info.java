/**
 * The analyst console: server-rendered pages over the audit, the live policy and the SIEM outbox,
 * signed in with the same API keys as {@code /api/**}. It reads; the only things it changes are an
 * outbox record an operator re-drives, through {@link org.scimgate.siem.Outbox}, and a remediation
 * action an operator releases or cancels, through {@link org.scimgate.remediation.Remediations}.
 * It owns no table.
 */
@ApplicationModule(allowedDependencies = {"audit", "impact", "policy", "remediation", "scim", "siem"})
package org.scimgate.console;

import org.springframework.modulith.ApplicationModule;
