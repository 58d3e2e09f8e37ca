package org.scimgate.siem;

/**
 * The audit chain's head, sent to the SIEM periodically: once it is outside the database, a
 * rewrite of the audit history inside it (even by its owner, even with the chain recomputed) no
 * longer matches what the SIEM holds.
 */
record ChainCheckpoint(String source, String type, long position, String hash, String timestamp) implements SiemEvent {

    static ChainCheckpoint of(long position, String hash, String timestamp) {
        return new ChainCheckpoint(SiemRecord.SOURCE, "audit-chain-head", position, hash, timestamp);
    }

    @Override
    public String eventId() {
        return "audit-chain-" + position + "-" + hash;
    }

    @Override
    public String eventTime() {
        return timestamp;
    }
}
