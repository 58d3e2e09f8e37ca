package org.scimgate.siem;

import java.util.List;

/** The relay of each configured sink, one per sink, each claiming and settling its own sink's outbox entries. */
public final class OutboxRelays {

    private final List<OutboxRelay> relays;

    OutboxRelays(List<OutboxRelay> relays) {
        this.relays = List.copyOf(relays);
    }

    public List<OutboxRelay> all() {
        return relays;
    }

    /** Drains every sink's backlog in turn; returns the number of entries delivered, all sinks together. */
    public int drain() {
        int delivered = 0;
        for (OutboxRelay relay : relays) {
            delivered += relay.drain();
        }
        return delivered;
    }
}
