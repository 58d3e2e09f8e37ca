package org.scimgate.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The shadow ruleset's verdicts stored beside the live ones, compared over the webhook and gateway
 * decisions of a window [{@code from}, {@code to}) that a shadow judged. Codes are compared as sets.
 */
@Component
public class ShadowVerdicts {

    /** Decisions with this live outcome and this shadow outcome, with the same codes or not. */
    public record OutcomePair(String live, String shadow, boolean sameCodes, long decisions) {
    }

    /** Decisions where a code fires in the shadow only, and where it fires live only. */
    public record CodeDivergence(String code, long shadowOnly, long liveOnly) {
    }

    /** One decision the shadow would have decided otherwise. */
    public record Divergent(String decisionId, String userName, Instant receivedAt, String source, String live,
                            String shadow, String shadowVersion, List<String> codesAdded, List<String> codesRemoved) {
    }

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

    private final JdbcClient jdbc;

    ShadowVerdicts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<OutcomePair> outcomes(Instant from, Instant to) {
        return jdbc.sql(JUDGED + """
                SELECT outcome, shadow_outcome, live_codes = shadow_codes, count(*) FROM judged GROUP BY 1, 2, 3
                """).params(window(from, to))
                .query((rs, n) -> new OutcomePair(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4)))
                .list();
    }

    public List<CodeDivergence> divergenceByCode(Instant from, Instant to) {
        return jdbc.sql(JUDGED + """
                SELECT code, count(*) FILTER (WHERE side = 'shadow'), count(*) FILTER (WHERE side = 'live')
                FROM (SELECT unnest(ARRAY(SELECT unnest(shadow_codes) EXCEPT SELECT unnest(live_codes))) AS code,
                             'shadow' AS side FROM judged
                      UNION ALL
                      SELECT unnest(ARRAY(SELECT unnest(live_codes) EXCEPT SELECT unnest(shadow_codes))), 'live'
                      FROM judged) d
                GROUP BY code
                """).params(window(from, to))
                .query((rs, n) -> new CodeDivergence(rs.getString(1), rs.getLong(2), rs.getLong(3))).list();
    }

    /** Decisions per shadow ruleset version ("null" for none). */
    public Map<String, Long> versions(Instant from, Instant to) {
        Map<String, Long> versions = new TreeMap<>();
        jdbc.sql(JUDGED + "SELECT shadow_ruleset_version, count(*) FROM judged GROUP BY 1").params(window(from, to))
                .query(rs -> {
                    versions.put(String.valueOf(rs.getString(1)), rs.getLong(2));
                });
        return versions;
    }

    /** The first {@code limit} decisions, oldest first, whose shadow outcome differs from the live one. */
    public List<Divergent> divergent(Instant from, Instant to, int limit) {
        return jdbc.sql(JUDGED + """
                SELECT decision_id, user_name, received_at, source, outcome, shadow_outcome, shadow_ruleset_version,
                       ARRAY(SELECT unnest(shadow_codes) EXCEPT SELECT unnest(live_codes) ORDER BY 1),
                       ARRAY(SELECT unnest(live_codes) EXCEPT SELECT unnest(shadow_codes) ORDER BY 1)
                FROM judged WHERE outcome <> shadow_outcome ORDER BY received_at, decision_id LIMIT :limit
                """).params(window(from, to)).param("limit", limit)
                .query((rs, n) -> new Divergent(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        List.of((String[]) rs.getArray(8).getArray()), List.of((String[]) rs.getArray(9).getArray())))
                .list();
    }

    private static Map<String, Object> window(Instant from, Instant to) {
        return Map.of("from", Timestamp.from(from), "to", Timestamp.from(to));
    }
}
