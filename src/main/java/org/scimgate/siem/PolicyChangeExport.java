package org.scimgate.siem;

import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Sends policy changes to the SIEM through the configured sink, as the audit chain's head is sent:
 * the caller keeps what was delivered and retries the rest on its next run.
 */
@Component
public class PolicyChangeExport {

    private final SiemSink sink;
    private final SiemSettings settings;

    PolicyChangeExport(SiemSink sink, SiemSettings settings) {
        this.sink = sink;
        this.settings = settings;
    }

    /** Whether this instance sends to the SIEM ({@code scimgate.siem.relay-enabled}). */
    public boolean enabled() {
        return settings.relayEnabled();
    }

    /** Delivers the whole batch; false when the SIEM did not take it (retry later). */
    public boolean deliver(List<PolicyChange> changes) {
        try {
            sink.deliver(changes);
            return true;
        } catch (SiemDeliveryFailed e) {
            return false;
        }
    }
}
