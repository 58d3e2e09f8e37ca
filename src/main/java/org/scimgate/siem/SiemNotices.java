package org.scimgate.siem;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends other modules' {@link SiemNotice}s through the configured sink, at once. The sender keeps
 * its own durable record of what is still to send (a row it marks once this returns true), so
 * delivery is at-least-once with the notice's {@code eventId} to deduplicate on, as for decisions.
 */
@Component
public class SiemNotices {

    private static final Logger LOG = LoggerFactory.getLogger(SiemNotices.class);

    private final SiemSink sink;

    SiemNotices(SiemSink sink) {
        this.sink = sink;
    }

    /** True once the SIEM accepted every notice; false (logged) when it did not: send them again later. */
    public boolean send(List<SiemNotice> notices) {
        if (notices.isEmpty()) {
            return true;
        }
        try {
            sink.deliver(notices);
            return true;
        } catch (SiemDeliveryFailed e) {
            LOG.warn("The SIEM did not accept {} notices; they are sent again later: {}", notices.size(), e.getMessage());
            return false;
        }
    }
}
