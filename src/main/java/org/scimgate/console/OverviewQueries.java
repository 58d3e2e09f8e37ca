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

/**
 * The overview's aggregates. Each reads a range of {@code decision_audit_received_at} or a partial
 * index of the outbox, and the chain's head by its primary key: the audit is never verified here
 * (that walks every row), only its last sealed link and last exported checkpoint are shown.
 */
@Component
class OverviewQueries {

    static final List<String> OUTCOMES = List.of("ACCEPTED", "ACCEPTED_WITH_WARNINGS", "REJECTED", "IGNORED",
            "MALFORMED", "UNAUTHENTICATED", "FORWARDED", "UNAVAILABLE");

    private final JdbcClient jdbc;

    OverviewQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Overview overview(Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        return new Overview(series("hour", hour.minus(Duration.ofHours(23)), 24, Duration.ofHours(1)),
                series("day", day.minus(Duration.ofDays(29)), 30, Duration.ofDays(1)),
                topViolations(now.minus(Duration.ofDays(7)), 10),
                count("SELECT count(*) FROM siem_outbox WHERE status = 'PENDING'"),
                count("SELECT count(*) FROM siem_outbox WHERE status = 'DEAD'"),
                head("SELECT position, encode(row_hash, 'hex'), sealed_at FROM audit_chain ORDER BY position DESC LIMIT 1")
                        .orElse(null),
                head("SELECT position, encode(row_hash, 'hex'), exported_at FROM audit_checkpoint ORDER BY position DESC LIMIT 1")
                        .orElse(null),
                count("SELECT count(*) FROM audit_unsealed"));
    }

    /** How often each rule fired in decisions received since {@code from}, by rule name. */
    Map<String, Long> firedSince(Instant from) {
        Map<String, Long> fired = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT CASE jsonb_typeof(f) WHEN 'string' THEN f #>> '{}' ELSE f ->> 'rule' END, count(*)
                FROM decision_audit a CROSS JOIN LATERAL jsonb_array_elements(a.fired_rules) f
                WHERE a.received_at >= ? GROUP BY 1
                """).param(Timestamp.from(from))
                .query(rs -> {
                    fired.put(rs.getString(1), rs.getLong(2));
                });
        return fired;
    }

    private Overview.Series series(String unit, Instant from, int buckets, Duration step) {
        List<String> labels = new ArrayList<>();
        Map<String, long[]> byOutcome = new LinkedHashMap<>();
        for (int i = 0; i < buckets; i++) {
            String label = from.plus(step.multipliedBy(i)).toString();
            labels.add(unit.equals("hour") ? label.substring(5, 16).replace('T', ' ') : label.substring(0, 10));
        }
        jdbc.sql("""
                SELECT date_trunc(:unit, received_at, 'UTC'), outcome, count(*) FROM decision_audit
                WHERE received_at >= :from GROUP BY 1, 2
                """).param("unit", unit).param("from", Timestamp.from(from))
                .query(rs -> {
                    int index = (int) (Duration.between(from, rs.getTimestamp(1).toInstant()).toMillis() / step.toMillis());
                    if (index >= 0 && index < buckets) {
                        byOutcome.computeIfAbsent(rs.getString(2), o -> new long[buckets])[index] += rs.getLong(3);
                    }
                });
        Map<String, long[]> ordered = new LinkedHashMap<>();
        OUTCOMES.stream().filter(byOutcome::containsKey).forEach(o -> ordered.put(o, byOutcome.get(o)));
        return new Overview.Series(labels, ordered);
    }

    private List<Overview.Count> topViolations(Instant from, int limit) {
        return jdbc.sql("""
                SELECT v ->> 'code', count(*) FROM decision_audit a CROSS JOIN LATERAL jsonb_array_elements(a.violations) v
                WHERE a.received_at >= ? GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?
                """).param(Timestamp.from(from)).param(limit)
                .query((rs, n) -> new Overview.Count(rs.getString(1), rs.getLong(2))).list();
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private Optional<Overview.ChainHead> head(String sql) {
        return jdbc.sql(sql).query((rs, n) -> new Overview.ChainHead(rs.getLong(1), rs.getString(2),
                rs.getTimestamp(3).toInstant())).optional();
    }
}
