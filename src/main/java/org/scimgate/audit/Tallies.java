package org.scimgate.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decisions, violations and rule firings counted per UTC hour: the tallies (V13) plus what they
 * have not folded yet — the chain positions after {@code tally_folded} and the rows still waiting
 * to be sealed — read in one repeatable-read snapshot, so each decision counts exactly once and
 * the cost does not grow with the audit. A caller that already holds a snapshot (a repeatable-read
 * transaction) reads all of these in it.
 */
@Component
public class Tallies {

    /** Decisions of one outcome received in one UTC hour. */
    public record HourlyCount(Instant hour, String outcome, long decisions) {
    }

    /** How often one code (a violation's, a rule's name) counted. */
    public record Count(String name, long count) {
    }

    /**
     * The decisions the tallies do not hold yet, as a CTE: sealed after the folded position, or not
     * sealed at all. A row an earlier version sealed but left queued counts once, as sealed. Each is
     * joined by primary key (the LIMITed lateral subqueries keep it a nested loop, as in
     * {@code audit_seal}): the cost is the rows not folded yet, never the size of the audit.
     */
    private static final String NOT_FOLDED = """
            WITH live AS (
                SELECT a.received_at, a.outcome, a.violations, a.fired_rules
                FROM audit_chain c
                CROSS JOIN LATERAL (SELECT * FROM decision_audit d WHERE d.decision_id = c.decision_id LIMIT 1) a
                WHERE c.position > :folded
                UNION ALL
                SELECT a.received_at, a.outcome, a.violations, a.fired_rules
                FROM audit_unsealed u
                CROSS JOIN LATERAL (SELECT * FROM decision_audit d WHERE d.decision_id = u.decision_id LIMIT 1) a
                WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.decision_id = u.decision_id)
            )
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate snapshot;

    Tallies(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    /** Decisions per hour and outcome since the hour of {@code from}. */
    public List<HourlyCount> decisionsPerHour(Instant from) {
        return snapshot.execute(tx -> jdbc.sql(NOT_FOLDED + """
                SELECT hour, outcome, sum(n) FROM (
                    SELECT hour, outcome, decisions AS n FROM decision_tally WHERE hour >= :from
                    UNION ALL
                    SELECT date_trunc('hour', received_at, 'UTC'), outcome, 1 FROM live WHERE received_at >= :from
                ) x GROUP BY 1, 2
                """).param("folded", folded()).param("from", hourOf(from))
                .query((rs, n) -> new HourlyCount(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getLong(3)))
                .list());
    }

    /** The {@code limit} violation codes counted most since the hour of {@code from}, most first. */
    public List<Count> topViolations(Instant from, int limit) {
        return snapshot.execute(tx -> jdbc.sql(NOT_FOLDED + """
                SELECT code, sum(n) FROM (
                    SELECT code, violations AS n FROM violation_tally WHERE hour >= :from
                    UNION ALL
                    SELECT v ->> 'code', 1 FROM live l CROSS JOIN LATERAL jsonb_array_elements(l.violations) v
                    WHERE l.received_at >= :from AND v ->> 'code' IS NOT NULL
                ) x GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT :limit
                """).param("folded", folded()).param("from", hourOf(from)).param("limit", limit)
                .query((rs, n) -> new Count(rs.getString(1), rs.getLong(2))).list());
    }

    /** How often each rule fired in decisions received since the hour of {@code from}, by rule name. */
    public Map<String, Long> firedSince(Instant from) {
        return snapshot.execute(tx -> {
            Map<String, Long> fired = new LinkedHashMap<>();
            jdbc.sql(NOT_FOLDED + """
                    SELECT rule, sum(n) FROM (
                        SELECT rule, fired AS n FROM fired_rule_tally WHERE hour >= :from
                        UNION ALL
                        SELECT CASE jsonb_typeof(f) WHEN 'string' THEN f #>> '{}' ELSE f ->> 'rule' END, 1
                        FROM live l CROSS JOIN LATERAL jsonb_array_elements(l.fired_rules) f WHERE l.received_at >= :from
                    ) x GROUP BY 1
                    """).param("folded", folded()).param("from", hourOf(from))
                    .query(rs -> {
                        fired.put(rs.getString(1), rs.getLong(2));
                    });
            return fired;
        });
    }

    /** Folds up to {@code max} newly sealed positions into the tallies; returns how many (0 while another folds). */
    int fold(int max) {
        return jdbc.sql("SELECT decision_tally_fold(?)").param(max).query(Integer.class).single();
    }

    private long folded() {
        return jdbc.sql("SELECT folded_to FROM tally_folded").query(Long.class).optional().orElse(0L);
    }

    private static Timestamp hourOf(Instant at) {
        return Timestamp.from(at.truncatedTo(ChronoUnit.HOURS));
    }
}
