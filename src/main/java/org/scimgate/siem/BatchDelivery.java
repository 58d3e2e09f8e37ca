package org.scimgate.siem;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one claimed batch and records the outcome of every record in it:
 * <ul>
 * <li>accepted (2xx): DELIVERED;</li>
 * <li>the SIEM refuses the content (400, 413, 422): the batch is split in halves, and the halves
 *     again, until each refused record stands alone; only those become DEAD, with the SIEM's answer
 *     as their last error, and the rest is delivered;</li>
 * <li>the SIEM is unavailable (5xx, 429, a timeout): everything not yet delivered is retried with backoff;</li>
 * <li>the SIEM refuses the relay's set-up (401, 403, 404, …): everything not yet delivered waits
 *     without counting an attempt, and health says so.</li>
 * </ul>
 * Before each send the lease is renewed to outlast the send's deadline (with Splunk HEC, its
 * acknowledgement wait included), and rows this claim no
 * longer holds are left out.
 */
final class BatchDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);

    private final Outbox outbox;
    private final String name;
    private final SiemSink sink;
    private final SiemSettings settings;
    private final SetupRefusal setup;
    private final MeterRegistry meters;

    BatchDelivery(Outbox outbox, String name, SiemSink sink, SiemSettings settings, SetupRefusal setup,
                  MeterRegistry meters) {
        this.outbox = outbox;
        this.name = name;
        this.sink = sink;
        this.settings = settings;
        this.setup = setup;
        this.meters = meters;
    }

    /** Returns the number of records delivered; stops between sends when {@code stopping} says so. */
    int send(List<SiemRecord> records, Lease lease, BooleanSupplier stopping) {
        Deque<List<SiemRecord>> parts = new ArrayDeque<>();
        parts.push(records);
        int delivered = 0;
        while (!parts.isEmpty() && !stopping.getAsBoolean()) {
            Set<UUID> held = lease.keepFor(settings.sendDeadline());
            List<SiemRecord> part = parts.pop().stream().filter(r -> held.contains(r.decisionId())).toList();
            if (part.isEmpty()) {
                continue;
            }
            try {
                sink.deliver(part);
            } catch (SiemDeliveryFailed e) {
                if (e.kind() == SiemDeliveryFailed.Kind.RECORDS_REFUSED && part.size() > 1) {
                    int half = part.size() / 2;
                    parts.push(part.subList(half, part.size()));
                    parts.push(part.subList(0, half));
                } else if (e.kind() == SiemDeliveryFailed.Kind.RECORDS_REFUSED) {
                    refused(part.get(0), e.getMessage(), lease);
                } else {
                    List<UUID> rest = new ArrayList<>(ids(part));
                    parts.forEach(p -> rest.addAll(ids(p)));
                    giveBack(rest, e, lease);
                    return delivered;
                }
                continue;
            }
            setup.accepted();
            Map<UUID, String> correlations = new LinkedHashMap<>();
            part.forEach(r -> correlations.put(r.decisionId(), r.correlationId()));
            int marked = outbox.delivered(lease.owner(), lease.token(), correlations);
            lease.letGo(correlations.keySet());
            if (marked < part.size()) {
                LOG.warn("Relay {} sent {} records but another instance took {} of them over before they were marked; "
                        + "they will be sent again with the same decisionId", lease.owner(), part.size(), part.size() - marked);
            }
            meters.counter("scimgate.siem.deliveries", "sink", name, "format", sink.name()).increment(part.size());
            delivered += part.size();
        }
        return delivered;
    }

    private void refused(SiemRecord record, String answer, Lease lease) {
        LOG.warn("SIEM sink {} refused decision {}; it is DEAD there until re-driven: {}", name, record.decisionId(), answer);
        outbox.refused(lease.owner(), lease.token(), List.of(record.decisionId()), answer);
        lease.letGo(List.of(record.decisionId()));
        meters.counter("scimgate.siem.refused", "sink", name, "format", sink.name()).increment();
    }

    private void giveBack(List<UUID> ids, SiemDeliveryFailed e, Lease lease) {
        meters.counter("scimgate.siem.failures", "sink", name, "format", sink.name()).increment(ids.size());
        if (e.kind() == SiemDeliveryFailed.Kind.SETUP_REFUSED) {
            LOG.warn("SIEM sink {} refuses the relay's token, endpoint or format; {} records wait without counting "
                    + "an attempt: {}", name, ids.size(), e.getMessage());
            outbox.defer(lease.owner(), lease.token(), ids, setup.refused(e.getMessage()),
                    "the SIEM refuses the relay's set-up, not this record: " + e.getMessage());
        } else {
            LOG.warn("Relay {} could not deliver {} records to SIEM sink {}; will retry: {}", lease.owner(), ids.size(),
                    name, e.getMessage());
            outbox.failed(lease.owner(), lease.token(), ids, e.getMessage(), settings.maxAttempts(), settings.backoff(),
                    settings.maxBackoff());
        }
        lease.letGo(ids);
    }

    private static List<UUID> ids(List<SiemRecord> records) {
        return records.stream().map(SiemRecord::decisionId).toList();
    }
}
