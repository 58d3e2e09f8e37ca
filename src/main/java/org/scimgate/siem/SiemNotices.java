package org.scimgate.siem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends other modules' {@link SiemNotice}s to every configured sink, at once. The sender keeps
 * its own durable record of what is still to send (a row it marks once this returns true), so
 * delivery is at-least-once with the notice's {@code eventId} to deduplicate on, as for decisions.
 */
@Component
public class SiemNotices {

    private static final Logger LOG = LoggerFactory.getLogger(SiemNotices.class);

    private final SiemSinks sinks;

    SiemNotices(SiemSinks sinks) {
        this.sinks = sinks;
    }

    /**
     * True once every sink accepted every notice; false (logged) when one did not: send them again
     * later (to every sink: one that took them gets them twice, with the same {@code eventId}).
     */
    public boolean send(List<SiemNotice> notices) {
        if (notices.isEmpty()) {
            return true;
        }
        Map<String, String> failures = new LinkedHashMap<>();
        if (sinks.deliverToEach(notices, failures).isEmpty()) {
            return true;
        }
        LOG.warn("SIEM sinks {} did not accept {} notices; they are sent again later: {}", failures.keySet(),
                notices.size(), failures);
        return false;
    }
}
