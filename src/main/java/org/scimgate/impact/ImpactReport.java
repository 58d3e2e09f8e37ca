package org.scimgate.impact;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What a candidate ruleset would have decided on past decisions. {@code changed} counts decisions
 * whose outcome differs; {@code codesChanged} those whose outcome stays but whose violation codes
 * differ. {@code changes} lists the former, oldest first, at most 100 of them.
 * {@code durationMs} is the wall time of reading and re-deciding; {@code cpuMs} the CPU time the
 * replay's own threads spent on it (reading, parsing, comparing; not the rules, which run on the
 * policy's bounded evaluation workers). {@code notStoredExactly} counts the judged decisions of the window that
 * were not replayed because their payload was not stored exactly (a NUL stored as U+FFFD before payloads
 * were kept exactly, a number beyond what the reader holds): a replay of those would report flips that
 * never were.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImpactReport(long evaluated, long changed, long codesChanged, long unreadable, long failed, long durationMs,
                    long cpuMs, String liveVersion, String candidateVersion, String from, String to,
                    Map<String, Long> transitions, Map<String, RuleImpact> byRule, List<Change> changes,
                    boolean truncated, NotFaithful notFaithful, String firstFailure, long notStoredExactly) {

    /** Decisions where a code's rule now fires and where it no longer fires. */
    record RuleImpact(long nowFires, long noLongerFires) {
    }

    record Change(String decisionId, String userName, String receivedAt, String source, String before, String after,
                  List<String> codesAdded, List<String> codesRemoved) {
    }

    /**
     * The candidate's rules read attributes that the audit never stores: its verdict on those
     * decisions is made without them, so it may differ from what the candidate would decide live.
     */
    record NotFaithful(List<String> attributes, List<String> files, String reason) {
    }

    boolean anythingChanged() {
        return changed > 0 || codesChanged > 0;
    }
}
