package org.scimgate.impact;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
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

    /** The webhook and gateway decisions of the window that a shadow judged, with both sets of codes. */
    private static final String JUDGED = """
            WITH judged AS (
                SELECT decision_id, received_at, source, user_name, outcome, shadow_outcome, shadow_ruleset_version,
                       ARRAY(SELECT DISTINCT v ->> 'code' FROM jsonb_array_elements(violations) v ORDER BY 1) AS live_codes,
                       ARRAY(SELECT DISTINCT c FROM jsonb_array_elements_text(shadow_codes) c ORDER BY 1) AS shadow_codes
                FROM decision_audit
                WHERE received_at >= :from AND received_at < :to AND shadow_outcome IS NOT NULL
                  AND source IN ('webhook', 'gateway'))
            """;

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

    private final JdbcClient jdbc;

    ShadowSummary(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Report summarise(ReplayWindow window, Current current) {
        Map<String, Object> params = Map.of("from", Timestamp.from(window.from()), "to", Timestamp.from(window.to()));
        long[] counts = new long[3]; // evaluated, changed, codes changed
        Map<String, Long> transitions = new TreeMap<>();
        jdbc.sql(JUDGED + """
                SELECT outcome, shadow_outcome, live_codes = shadow_codes, count(*) FROM judged GROUP BY 1, 2, 3
                """).params(params).query(rs -> {
            long n = rs.getLong(4);
            counts[0] += n;
            if (!rs.getString(1).equals(rs.getString(2))) {
                counts[1] += n;
                transitions.merge(rs.getString(1) + " -> " + rs.getString(2), n, Long::sum);
            } else if (!rs.getBoolean(3)) {
                counts[2] += n;
            }
        });
        Map<String, RuleDivergence> byRule = new TreeMap<>();
        jdbc.sql(JUDGED + """
                SELECT code, count(*) FILTER (WHERE side = 'shadow'), count(*) FILTER (WHERE side = 'live')
                FROM (SELECT unnest(ARRAY(SELECT unnest(shadow_codes) EXCEPT SELECT unnest(live_codes))) AS code,
                             'shadow' AS side FROM judged
                      UNION ALL
                      SELECT unnest(ARRAY(SELECT unnest(live_codes) EXCEPT SELECT unnest(shadow_codes))), 'live'
                      FROM judged) d
                GROUP BY code
                """).params(params).query(rs -> {
            byRule.put(rs.getString(1), new RuleDivergence(rs.getLong(2), rs.getLong(3)));
        });
        Map<String, Long> versions = new TreeMap<>();
        jdbc.sql(JUDGED + "SELECT shadow_ruleset_version, count(*) FROM judged GROUP BY 1").params(params)
                .query(rs -> {
                    versions.put(String.valueOf(rs.getString(1)), rs.getLong(2));
                });
        List<Change> changes = jdbc.sql(JUDGED + """
                SELECT decision_id, user_name, received_at, source, outcome, shadow_outcome, shadow_ruleset_version,
                       ARRAY(SELECT unnest(shadow_codes) EXCEPT SELECT unnest(live_codes) ORDER BY 1),
                       ARRAY(SELECT unnest(live_codes) EXCEPT SELECT unnest(shadow_codes) ORDER BY 1)
                FROM judged WHERE outcome <> shadow_outcome ORDER BY received_at, decision_id LIMIT :limit
                """).params(params).param("limit", Replay.CHANGES_SHOWN)
                .query((rs, n) -> new Change(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant().toString(), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), List.of((String[]) rs.getArray(8).getArray()),
                        List.of((String[]) rs.getArray(9).getArray())))
                .list();
        return new Report(window.from().toString(), window.to().toString(), counts[0], counts[1], counts[2],
                transitions, byRule, versions, changes, counts[1] > changes.size(), current);
    }
}
