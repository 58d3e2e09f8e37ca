package org.scimgate.siem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured sinks, by name. Records that go through the outbox reach each sink through that
 * sink's own relay; what other modules send directly (chain heads, notices, policy changes) goes to
 * every sink from here.
 */
final class SiemSinks {

    private static final Logger LOG = LoggerFactory.getLogger(SiemSinks.class);

    /** A sink under its configured name, with its settings. */
    record Named(String name, SiemSink sink, SiemSettings settings) {
    }

    private final List<Named> sinks;

    SiemSinks(List<Named> sinks) {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("at least one SIEM sink");
        }
        this.sinks = List.copyOf(sinks);
    }

    List<Named> all() {
        return sinks;
    }

    List<String> names() {
        return sinks.stream().map(Named::name).toList();
    }

    /**
     * Sends to every sink; returns the names of those that did not accept the batch (empty: every
     * sink has it). The caller sends again later, to every sink: a sink that took the batch gets it
     * twice, with the same ids.
     */
    List<String> deliverToEach(List<? extends SiemEvent> records, Map<String, String> failures) {
        List<String> failed = new ArrayList<>();
        for (Named named : sinks) {
            try {
                named.sink().deliver(records);
            } catch (SiemDeliveryFailed e) {
                LOG.debug("SIEM sink {} did not accept {} records: {}", named.name(), records.size(), e.getMessage());
                failed.add(named.name());
                failures.put(named.name(), e.getMessage());
            }
        }
        return failed;
    }
}
