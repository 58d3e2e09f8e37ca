package org.scimgate.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Walks the chain link by link, in position order, and collects every break rather than the
 * first: a changed row, a link whose {@code prev_hash} is not its predecessor's hash, a missing
 * position, a link whose decision is gone, a link that differs from the head exported to the
 * SIEM, and a chain that ends before that head.
 */
final class ChainWalk {

    /** Breaks and unsealed decisions listed in a verification; the counts cover all of them. */
    static final int MAX_LISTED = 1000;

    private final AuditChain.Checkpoint checkpoint;
    private final List<AuditChain.Break> breaks = new ArrayList<>();
    private long breakCount;
    private long checked;
    private long lastPosition;
    private byte[] previous = AuditChain.GENESIS;

    ChainWalk(AuditChain.Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    void link(long position, UUID decisionId, byte[] prevHash, byte[] rowHash, boolean decisionPresent,
              boolean contentMatches) {
        checked++;
        if (position != lastPosition + 1) {
            fail(position, decisionId, position - lastPosition == 2
                    ? "the link at position " + (lastPosition + 1) + " is missing"
                    : "the links at positions " + (lastPosition + 1) + " to " + (position - 1) + " are missing");
        } else if (!Arrays.equals(prevHash, previous)) {
            fail(position, decisionId, "prev_hash does not match the hash of the link before it");
        }
        if (!decisionPresent) {
            fail(position, decisionId, "the decision this link seals is gone");
        } else if (!contentMatches) {
            fail(position, decisionId, "the decision was changed after it was sealed");
        }
        if (checkpoint != null && position == checkpoint.position()
                && !HexFormat.of().formatHex(rowHash).equals(checkpoint.hash())) {
            fail(position, decisionId, "the link differs from the head exported to the SIEM at "
                    + checkpoint.exportedAt() + " (hash " + checkpoint.hash() + ")");
        }
        lastPosition = position;
        previous = rowHash;
    }

    /** Called after the last link: a chain shorter than what the SIEM was told has lost its tail. */
    void end() {
        if (checkpoint != null && lastPosition < checkpoint.position()) {
            fail(checkpoint.position(), null, "the chain ends at position " + lastPosition + " but the head at position "
                    + checkpoint.position() + " was exported to the SIEM at " + checkpoint.exportedAt()
                    + ": links were removed from its tail");
        }
    }

    private void fail(long position, UUID decisionId, String problem) {
        breakCount++;
        if (breaks.size() < MAX_LISTED) {
            breaks.add(new AuditChain.Break(position, decisionId, problem));
        }
    }

    long checked() {
        return checked;
    }

    long breakCount() {
        return breakCount;
    }

    List<AuditChain.Break> breaks() {
        return List.copyOf(breaks);
    }

    AuditChain.Head head() {
        return new AuditChain.Head(lastPosition, HexFormat.of().formatHex(previous));
    }
}
