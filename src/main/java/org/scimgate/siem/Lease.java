package org.scimgate.siem;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claim's hold on its outbox rows, kept alive while the relay works on them: a heartbeat renews
 * the lease whenever a third of it has passed (a batch correlated record by record with a slow
 * Genesys can take longer than the lease), and before each send the relay makes sure the lease
 * outlasts the send's deadline ({@link #keepFor}). Renewing tells which rows the claim still holds;
 * a row taken over by another relay is not sent from here, and the database refuses any change to it.
 */
final class Lease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Lease.class);

    private final Outbox outbox;
    private final String owner;
    private final UUID token;
    private final Duration length;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> heartbeat;
    private static final long FRESH = TimeUnit.SECONDS.toNanos(1);

    private volatile long validUntil;
    private volatile long renewedAt;

    /** {@code claimedAt} is {@link System#nanoTime()} before the claim was made: the lease runs at least until then plus its length. */
    Lease(Outbox outbox, Outbox.Claimed claim, Duration length, long claimedAt, ScheduledExecutorService timer) {
        this.outbox = outbox;
        this.owner = claim.owner();
        this.token = claim.token();
        this.length = length;
        claim.entries().forEach(e -> held.add(e.decisionId()));
        this.validUntil = claimedAt + length.toNanos();
        this.renewedAt = claimedAt;
        long period = Math.max(50, length.toMillis() / 3);
        this.heartbeat = timer.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    String owner() {
        return owner;
    }

    UUID token() {
        return token;
    }

    boolean holds(UUID id) {
        return held.contains(id);
    }

    /** The rows are no longer held: delivered, failed, deferred, or lost. */
    void letGo(Collection<UUID> ids) {
        held.removeAll(ids);
    }

    /**
     * The rows still held, with a lease that runs at least {@code needed} longer. It asks the
     * database (renewing, and learning which rows another relay took over) unless the lease was
     * granted or renewed within the last second and runs long enough: a lease is lost only by
     * running out, so right after a claim the answer is known without a round trip.
     */
    Set<UUID> keepFor(Duration needed) {
        long now = System.nanoTime();
        if (validUntil - now < needed.toNanos() || now - renewedAt > FRESH) {
            renew();
        }
        return Set.copyOf(held);
    }

    private synchronized void renew() {
        if (held.isEmpty()) {
            return;
        }
        long before = System.nanoTime();
        Set<UUID> still = outbox.renew(owner, token, Set.copyOf(held), length);
        if (held.retainAll(still)) {
            LOG.warn("Relay {} lost the lease on some outbox rows to another instance; it will not send them", owner);
        }
        validUntil = before + length.toNanos();
        renewedAt = before;
    }

    private void beat() {
        try {
            if (validUntil - System.nanoTime() < length.toNanos() * 2 / 3) {
                renew();
            }
        } catch (RuntimeException e) {
            LOG.warn("Relay {} could not renew its outbox lease; the next beat retries: {}", owner, e.toString());
        }
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
    }
}
