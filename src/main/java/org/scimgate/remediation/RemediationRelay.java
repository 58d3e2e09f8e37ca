package org.scimgate.remediation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the actions the database queued: claims due ones under a lease (the claim holds those
 * past the hourly cap), and for each, by the mode: {@code off} records SKIPPED, {@code dryrun}
 * records DRYRUN, {@code on} renews the lease and makes the one call. Every outcome is recorded only
 * while this claim still holds the action. A crash between the call and the record repeats the
 * call after the lease runs out: deactivating is idempotent, and the same action row is settled.
 */
class RemediationRelay {

    private static final Logger LOG = LoggerFactory.getLogger(RemediationRelay.class);

    private final ActionQueue queue;
    private final Map<String, ActionType> types;
    private final RemediationSettings settings;
    private final String owner;
    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean stopping;

    RemediationRelay(ActionQueue queue, List<ActionType> types, RemediationSettings settings, String owner) {
        this.queue = queue;
        this.types = types.stream().collect(Collectors.toMap(ActionType::name, Function.identity()));
        this.settings = settings;
        this.owner = owner;
    }

    String owner() {
        return owner;
    }

    /** Works actions until none is due; returns how many were settled or rescheduled. */
    int drain() {
        if (!running.tryLock()) {
            return 0;
        }
        try {
            int worked = 0;
            RemediationSettings.Mode mode = settings.relayMode();
            while (!stopping) {
                List<ActionQueue.Claimed> claimed = queue.claim(owner, settings.batchSize(), settings.lease(),
                        mode == RemediationSettings.Mode.ON, settings.maxPerHour());
                for (ActionQueue.Claimed action : claimed) {
                    if (stopping) {
                        break;
                    }
                    worked += work(action, mode) ? 1 : 0;
                }
                if (claimed.size() < settings.batchSize()) {
                    break;
                }
            }
            return worked;
        } finally {
            running.unlock();
        }
    }

    /** Stops after the call in flight, and hands back what this instance still holds. */
    void stop() {
        stopping = true;
        running.lock();
        try {
            int released = queue.releaseLeases(owner);
            if (released > 0) {
                LOG.info("Remediation relay {} released {} claimed actions on shutdown", owner, released);
            }
        } finally {
            running.unlock();
        }
    }

    private boolean work(ActionQueue.Claimed action, RemediationSettings.Mode mode) {
        ActionType type = types.get(action.action());
        if (type == null) {
            return queue.settle(owner, action, "FAILED", false, null, "this service knows no action " + action.action());
        }
        switch (mode) {
            case OFF:
                return queue.settle(owner, action, "SKIPPED", false, null,
                        "SCIMGATE_REMEDIATION_MODE is off: nothing was called");
            case DRYRUN:
                LOG.info("Dry run: action {} of decision {} would {}", action.id(), action.decisionId(),
                        type.describe(action.targetId()));
                return queue.settle(owner, action, "DRYRUN", false, null,
                        "dry run (SCIMGATE_REMEDIATION_MODE=dryrun): would " + type.describe(action.targetId()));
            default:
                return act(action, type);
        }
    }

    private boolean act(ActionQueue.Claimed action, ActionType type) {
        if (!queue.renew(owner, action, settings.lease())) {
            LOG.warn("Remediation relay {} lost its lease on action {}; it makes no call", owner, action.id());
            return false;
        }
        ActionType.Outcome outcome = type.carryOut(action.targetId());
        boolean recorded;
        if (outcome instanceof ActionType.Done done) {
            recorded = queue.settle(owner, action, "DONE", true, done.http(), done.answer());
        } else if (outcome instanceof ActionType.Refused refused) {
            recorded = queue.settle(owner, action, "FAILED", true, refused.http(), refused.answer());
        } else {
            ActionType.Later later = (ActionType.Later) outcome;
            String status = queue.retryLater(owner, action, later.counts(), later.http(), later.answer(), settings,
                    later.retryAfter());
            if ("DEAD".equals(status)) {
                LOG.warn("Action {} of decision {} is DEAD after {} attempts: {}", action.id(), action.decisionId(),
                        settings.maxAttempts(), later.answer());
            }
            recorded = status != null;
        }
        LOG.info("Action {} ({} of Genesys user {}) of decision {}: {}", action.id(), type.name(), action.targetId(),
                action.decisionId(), outcome);
        if (!recorded) {
            LOG.warn("Remediation relay {} could not record the outcome of action {}: its lease was taken over",
                    owner, action.id());
        }
        return recorded;
    }
}
