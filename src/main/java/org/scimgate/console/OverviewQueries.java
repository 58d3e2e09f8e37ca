package org.scimgate.console;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The overview's aggregates. Counts come from the hourly tallies (V13) plus what they have not
 * folded yet — the chain positions after {@code tally_folded} and the rows still waiting to be
 * sealed — read in one repeatable-read snapshot, so each decision counts exactly once and the cost
 * does not grow with the audit. The chain's head is read by its primary key: the audit is never
 * verified here (that walks every row).
 */
@Component
class OverviewQueries {

    static final List<String> OUTCOMES = List.of("ACCEPTED", "ACCEPTED_WITH_WARNINGS", "REJECTED", "IGNORED",
            "MALFORMED", "UNAUTHENTICATED", "FORWARDED", "UNAVAILABLE", "UPSTREAM_ERROR", "PRECONDITION_FAILED",
            "NONCOMPLIANT_ACCOUNT");

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

    OverviewQueries(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    Overview overview(Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        return snapshot.execute(tx -> {
            long folded = folded();
            Overview.Series[] series = series(folded, hour.minus(Duration.ofHours(23)), day.minus(Duration.ofDays(29)));
            return new Overview(series[0], series[1], topViolations(folded, hour.minus(Duration.ofDays(7)), 10),
                    count("SELECT count(*) FROM siem_outbox WHERE status = 'PENDING'"),
                    count("SELECT count(*) FROM siem_outbox WHERE status = 'DEAD'"),
                    head("SELECT position, encode(row_hash, 'hex'), sealed_at FROM audit_chain ORDER BY position DESC LIMIT 1")
                            .orElse(null),
                    head("SELECT position, encode(row_hash, 'hex'), exported_at FROM audit_checkpoint ORDER BY position DESC LIMIT 1")
                            .orElse(null),
                    count("SELECT count(*) FROM audit_unsealed"));
        });
    }

    /** How often each rule fired in decisions received since the hour of {@code from}, by rule name. */
    Map<String, Long> firedSince(Instant from) {
        Timestamp since = Timestamp.from(from.truncatedTo(ChronoUnit.HOURS));
        return snapshot.execute(tx -> {
            Map<String, Long> fired = new LinkedHashMap<>();
            jdbc.sql(NOT_FOLDED + """
                    SELECT rule, sum(n) FROM (
                        SELECT rule, fired AS n FROM fired_rule_tally WHERE hour >= :from
                        UNION ALL
                        SELECT CASE jsonb_typeof(f) WHEN 'string' THEN f #>> '{}' ELSE f ->> 'rule' END, 1
                        FROM live l CROSS JOIN LATERAL jsonb_array_elements(l.fired_rules) f WHERE l.received_at >= :from
                    ) x GROUP BY 1
                    """).param("folded", folded()).param("from", since)
                    .query(rs -> {
                        fired.put(rs.getString(1), rs.getLong(2));
                    });
            return fired;
        });
    }

    private long folded() {
        return jdbc.sql("SELECT folded_to FROM tally_folded").query(Long.class).optional().orElse(0L);
    }

    /** The last 24 hours by hour and the last 30 days by day, from one read of the hourly counts. */
    private Overview.Series[] series(long folded, Instant hoursFrom, Instant daysFrom) {
        Buckets hours = new Buckets(hoursFrom, 24, Duration.ofHours(1));
        Buckets days = new Buckets(daysFrom, 30, Duration.ofDays(1));
        jdbc.sql(NOT_FOLDED + """
                SELECT hour, outcome, sum(n) FROM (
                    SELECT hour, outcome, decisions AS n FROM decision_tally WHERE hour >= :from
                    UNION ALL
                    SELECT date_trunc('hour', received_at, 'UTC'), outcome, 1 FROM live WHERE received_at >= :from
                ) x GROUP BY 1, 2
                """).param("folded", folded).param("from", Timestamp.from(daysFrom))
                .query(rs -> {
                    Instant at = rs.getTimestamp(1).toInstant();
                    hours.add(at, rs.getString(2), rs.getLong(3));
                    days.add(at, rs.getString(2), rs.getLong(3));
                });
        return new Overview.Series[] {hours.series(true), days.series(false)};
    }

    private List<Overview.Count> topViolations(long folded, Instant from, int limit) {
        return jdbc.sql(NOT_FOLDED + """
                SELECT code, sum(n) FROM (
                    SELECT code, violations AS n FROM violation_tally WHERE hour >= :from
                    UNION ALL
                    SELECT v ->> 'code', 1 FROM live l CROSS JOIN LATERAL jsonb_array_elements(l.violations) v
                    WHERE l.received_at >= :from AND v ->> 'code' IS NOT NULL
                ) x GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT :limit
                """).param("folded", folded).param("from", Timestamp.from(from)).param("limit", limit)
                .query((rs, n) -> new Overview.Count(rs.getString(1), rs.getLong(2))).list();
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private Optional<Overview.ChainHead> head(String sql) {
        return jdbc.sql(sql).query((rs, n) -> new Overview.ChainHead(rs.getLong(1), rs.getString(2),
                rs.getTimestamp(3).toInstant())).optional();
    }

    /** Counts per outcome in equal steps from {@code from}; hours outside are ignored. */
    private static final class Buckets {
        private final Instant from;
        private final int size;
        private final Duration step;
        private final Map<String, long[]> byOutcome = new LinkedHashMap<>();

        Buckets(Instant from, int size, Duration step) {
            this.from = from;
            this.size = size;
            this.step = step;
        }

        void add(Instant hour, String outcome, long count) {
            if (hour.isBefore(from)) {
                return;
            }
            long index = Duration.between(from, hour).toMillis() / step.toMillis();
            if (index < size) {
                byOutcome.computeIfAbsent(outcome, o -> new long[size])[(int) index] += count;
            }
        }

        Overview.Series series(boolean hourly) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String label = from.plus(step.multipliedBy(i)).toString();
                labels.add(hourly ? label.substring(5, 16).replace('T', ' ') : label.substring(0, 10));
            }
            Map<String, long[]> ordered = new LinkedHashMap<>();
            OUTCOMES.stream().filter(byOutcome::containsKey).forEach(o -> ordered.put(o, byOutcome.get(o)));
            byOutcome.forEach(ordered::putIfAbsent);
            return new Overview.Series(labels, ordered);
        }
    }
}
