package org.scimgate.siem;

import java.util.HashMap;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Sends policy changes to every configured SIEM sink, as the audit chain's head is sent: the caller
 * keeps what was delivered and retries the rest on its next run (to every sink, with the same ids).
 */
@Component
public class PolicyChangeExport {

    private final SiemSinks sinks;
    private final SiemSettings settings;

    PolicyChangeExport(SiemSinks sinks, SiemSettings settings) {
        this.sinks = sinks;
        this.settings = settings;
    }

    /** Whether this instance sends to the SIEM ({@code scimgate.siem.relay-enabled}). */
    public boolean enabled() {
        return settings.relayEnabled();
    }

    /** Delivers the whole batch to every sink; false when one did not take it (retry later). */
    public boolean deliver(List<PolicyChange> changes) {
        return sinks.deliverToEach(changes, new HashMap<>()).isEmpty();
    }
}
