package org.scimgate.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the overview page shows; every number comes from an index range or a small table. */
record Overview(Series lastDay, Series lastMonth, List<Count> topViolations, long pending, long dead,
                ChainHead chainHead, ChainHead lastCheckpoint, long unsealed) {

    /** Decisions per bucket, one row of counts per outcome, in bucket order. */
    record Series(List<String> labels, Map<String, long[]> byOutcome) {
        long total() {
            return byOutcome.values().stream().flatMapToLong(java.util.Arrays::stream).sum();
        }
    }

    record Count(String name, long count) {
    }

    record ChainHead(long position, String hash, Instant at) {
    }
}
