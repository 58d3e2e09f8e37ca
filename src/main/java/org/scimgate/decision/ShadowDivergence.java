package org.scimgate.decision;

import java.util.Set;
import java.util.TreeSet;
import org.scimgate.audit.DecisionRecord;

/**
 * When a shadow verdict differs from the live decision: another outcome, or the same outcome with
 * other violation codes. The same comparison {@code rules replay} makes between a past decision and
 * a candidate, so the two views count alike.
 */
final class ShadowDivergence {

    private ShadowDivergence() {
    }

    static boolean diverges(DecisionRecord record) {
        DecisionRecord.Shadow shadow = record.shadow();
        if (shadow == null) {
            return false;
        }
        if (!shadow.outcome().equals(record.outcome())) {
            return true;
        }
        Set<String> live = new TreeSet<>();
        record.violations().forEach(v -> live.add(v.code()));
        return !live.equals(new TreeSet<>(shadow.codes()));
    }
}
