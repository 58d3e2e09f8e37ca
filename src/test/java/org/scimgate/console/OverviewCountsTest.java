package org.scimgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.scimgate.audit.AuditChain;
import org.scimgate.support.PostgresTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The overview counts from hourly tallies folded from the chain plus what is not folded yet: the
 * same numbers as counting the audit row by row, whether a decision is unsealed, sealed but not
 * folded, or folded — and never twice.
 */
class OverviewCountsTest extends PostgresTest {

    @Autowired
    OverviewQueries queries;
    @Autowired
    AuditChain chain;
    @Autowired
    JdbcClient jdbc;

    @Test
    void countsEachDecisionOnceWhetherUnsealedSealedOrFolded() {
        Instant now = Instant.now();
        String rule = "Overview test rule " + UUID.randomUUID();
        // Across the month, at the edges of both charts, and one too old to show.
        for (Duration age : new Duration[] {Duration.ofMinutes(1), Duration.ofHours(23), Duration.ofHours(25),
                Duration.ofDays(6), Duration.ofDays(29), Duration.ofDays(40)}) {
            insert(now.minus(age), "REJECTED", "[{\"code\":\"OVERVIEW_TEST\",\"field\":\"department\"}]",
                    "[{\"rule\":\"" + rule + "\",\"code\":\"OVERVIEW_TEST\"}]");
            insert(now.minus(age), "ACCEPTED", "[]", "[\"" + rule + "\"]");
        }
        assertMatchesTheAudit(now, rule);

        while (chain.seal(1000) > 0) {
            // sealed, not folded
        }
        assertMatchesTheAudit(now, rule);

        foldAll();
        assertThat(jdbc.sql("SELECT folded_to FROM tally_folded").query(Long.class).single())
                .isEqualTo(jdbc.sql("SELECT max(position) FROM audit_chain").query(Long.class).single());
        assertMatchesTheAudit(now, rule);
        assertThat(foldAll()).as("nothing left to fold").isZero();
        assertMatchesTheAudit(now, rule);
    }

    private void assertMatchesTheAudit(Instant now, String rule) {
        Overview overview = queries.overview(now);
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        assertThat(totals(overview.lastDay())).as("24 hours by outcome")
                .isEqualTo(byOutcome(hour.minus(Duration.ofHours(23))));
        assertThat(totals(overview.lastMonth())).as("30 days by outcome")
                .isEqualTo(byOutcome(day.minus(Duration.ofDays(29))));
        long violations = jdbc.sql("""
                SELECT count(*) FROM decision_audit a CROSS JOIN LATERAL jsonb_array_elements(a.violations) v
                WHERE a.received_at >= ? AND v ->> 'code' = 'OVERVIEW_TEST'""")
                .param(Timestamp.from(hour.minus(Duration.ofDays(7)))).query(Long.class).single();
        assertThat(violations).isEqualTo(4);
        assertThat(overview.topViolations()).contains(new Overview.Count("OVERVIEW_TEST", violations));
        assertThat(queries.firedSince(now.minus(Duration.ofDays(7)))).as("firings of the rule in 7 days")
                .containsEntry(rule, 8L);
    }

    /** What the audit's scheduled folding does on each run. */
    private long foldAll() {
        long total = 0;
        int folded;
        do {
            folded = jdbc.sql("SELECT decision_tally_fold(1000)").query(Integer.class).single();
            total += folded;
        } while (folded == 1000);
        return total;
    }

    private Map<String, Long> totals(Overview.Series series) {
        return series.byOutcome().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Arrays.stream(e.getValue()).sum()));
    }

    private Map<String, Long> byOutcome(Instant from) {
        return jdbc.sql("SELECT outcome, count(*) FROM decision_audit WHERE received_at >= ? GROUP BY 1")
                .param(Timestamp.from(from)).query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** As the owner: the application role may record only decisions received now. */
    private void insert(Instant at, String outcome, String violations, String firedRules) {
        UUID id = UUID.randomUUID();
        JdbcClient.create(owner()).sql("""
                INSERT INTO decision_audit (decision_id, received_at, source, event_type, idempotency_key, user_name,
                    outcome, http_status, violations, fired_rules, ruleset_version, response_body)
                VALUES (?, ?, 'webhook', 'user.created', ?, 'overview@acme.com', ?, 200, ?::jsonb, ?::jsonb, 'test', '{}')
                """).params(id, Timestamp.from(at), "overview-test:" + id, outcome, violations, firedRules).update();
    }
}
