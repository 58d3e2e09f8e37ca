/**
 * The outbox, its relay and the SIEM sinks. Other modules read and re-drive the outbox through
 * {@link org.scimgate.siem.Outbox}; only the relay claims and settles its rows.
 */
@ApplicationModule(allowedDependencies = {"audit", "genesys", "database"})
@Owns(tables = {"siem_outbox", "siem_sink"},
        functions = {"siem_outbox_claim", "siem_outbox_renew", "siem_outbox_correlate", "siem_outbox_deliver",
                "siem_outbox_fail", "siem_outbox_refuse", "siem_outbox_defer", "siem_outbox_release",
                "siem_outbox_redrive", "siem_outbox_redrive_dead", "siem_outbox_sinks_configure",
                "decision_audit_enqueue_outbox"})
package org.scimgate.siem;

import org.scimgate.Owns;
import org.springframework.modulith.ApplicationModule;
