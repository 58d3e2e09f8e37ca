package org.scimgate.console;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.scimgate.audit.DecisionRecord;
import org.scimgate.audit.DecisionView;

/**
 * The shadow ruleset's verdict on a recorded decision as the console shows it, with whether it
 * differs from the live one: another outcome, or the same outcome with other violation codes (the
 * comparison the shadow summary and {@code rules replay} make).
 */
record ShadowVerdict(String outcome, String rulesetVersion, List<String> codes, boolean differs) {

    /** Null when no shadow ruleset judged the decision. */
    static ShadowVerdict of(DecisionView decision) {
        DecisionRecord.Shadow shadow = decision.shadow();
        if (shadow == null) {
            return null;
        }
        Set<String> live = new TreeSet<>();
        if (decision.violations() != null) {
            decision.violations().forEach(v -> live.add(v.path("code").asText()));
        }
        boolean differs = !shadow.outcome().equals(decision.outcome()) || !live.equals(new TreeSet<>(shadow.codes()));
        return new ShadowVerdict(shadow.outcome(), shadow.rulesetVersion(), shadow.codes(), differs);
    }
}
