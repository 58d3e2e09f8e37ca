package org.scimgate.impact;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.scimgate.audit.ShadowVerdicts;
import org.springframework.stereotype.Component;

/**
 * What the shadow ruleset would have decided on the live traffic of a window, read from the
 * verdicts stored beside each decision: counted the way {@code rules replay} counts a candidate
 * ({@code changed}: another outcome; {@code codesChanged}: the same outcome with other codes;
 * {@code byRule}: per code, decisions where it fires in the shadow only / in the live rules only),
 * so the three views of one candidate can be compared number for number.
 */
@Component
class ShadowSummary {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Report(String from, String to, long evaluated, long changed, long codesChanged,
                  Map<String, Long> transitions, Map<String, RuleDivergence> byRule, Map<String, Long> shadowVersions,
                  List<Change> changes, boolean truncated, Current shadow) {
    }

    /** Decisions where a code fires in the shadow and not live ({@code nowFires}), and the reverse. */
    record RuleDivergence(long nowFires, long noLongerFires) {
    }

    record Change(String decisionId, String userName, String receivedAt, String source, String before, String after,
                  String shadowVersion, List<String> codesAdded, List<String> codesRemoved) {
    }

    /** The shadow ruleset now: its version (null while refused) and its last refused (re)load. */
    record Current(boolean configured, String version, org.scimgate.policy.PolicyEngine.RejectedReload lastRejectedReload) {
    }

    private final ShadowVerdicts verdicts;

    ShadowSummary(ShadowVerdicts verdicts) {
        this.verdicts = verdicts;
    }

    Report summarise(ReplayWindow window, Current current) {
        long[] counts = new long[3]; // evaluated, changed, codes changed
        Map<String, Long> transitions = new TreeMap<>();
        for (ShadowVerdicts.OutcomePair pair : verdicts.outcomes(window.from(), window.to())) {
            long n = pair.decisions();
            counts[0] += n;
            if (!pair.live().equals(pair.shadow())) {
                counts[1] += n;
                transitions.merge(pair.live() + " -> " + pair.shadow(), n, Long::sum);
            } else if (!pair.sameCodes()) {
                counts[2] += n;
            }
        }
        Map<String, RuleDivergence> byRule = new TreeMap<>();
        verdicts.divergenceByCode(window.from(), window.to()).forEach(d ->
                byRule.put(d.code(), new RuleDivergence(d.shadowOnly(), d.liveOnly())));
        Map<String, Long> versions = verdicts.versions(window.from(), window.to());
        List<Change> changes = verdicts.divergent(window.from(), window.to(), Replay.CHANGES_SHOWN).stream()
                .map(d -> new Change(d.decisionId(), d.userName(), d.receivedAt().toString(), d.source(), d.live(),
                        d.shadow(), d.shadowVersion(), d.codesAdded(), d.codesRemoved()))
                .toList();
        return new Report(window.from().toString(), window.to().toString(), counts[0], counts[1], counts[2],
                transitions, byRule, versions, changes, counts[1] > changes.size(), current);
    }
}
