package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The tallies, read as the application role: the same counts as the audit row by row whether a
 * decision is unsealed, sealed and not folded, or folded — never twice — and the scheduled folding
 * folds up to the chain's head and then finds nothing left.
 */
class TalliesTest {

    private final ChainDatabase db = ChainDatabase.create();
    private final DataSource app = db.app();
    private final Tallies tallies = new Tallies(JdbcClient.create(app), new DataSourceTransactionManager(app));
    private final TallyFolding folding = new TallyFolding(tallies);
    private final AuditChain chain = ChainDatabase.chain(app);
    private final JdbcTemplate owner = db.ownerSql();

    @Test
    void countsEachDecisionOnceWhetherUnsealedSealedOrFolded() {
        Instant now = Instant.now();
        // Oldest first, so the last position sealed (and folded) is inside the window.
        for (Duration age : new Duration[] {Duration.ofDays(40), Duration.ofDays(3), Duration.ofHours(5),
                Duration.ofMinutes(1)}) {
            insert(now.minus(age), "REJECTED", "[{\"code\":\"TALLY_TEST\"},{\"code\":\"TALLY_TEST\"},{\"code\":\"OTHER\"}]",
                    "[{\"rule\":\"Tally rule\",\"code\":\"TALLY_TEST\"}]");
            insert(now.minus(age), "ACCEPTED", "[]", "[\"Tally rule\"]");
        }
        Instant from = now.minus(Duration.ofDays(30));
        assertMatchesTheAudit(from);

        while (chain.seal(1000) > 0) {
            // sealed, not folded
        }
        assertMatchesTheAudit(from);

        assertThat(folding.foldAll()).as("positions folded").isEqualTo(8);
        assertThat(owner.queryForObject("SELECT folded_to FROM tally_folded", Long.class))
                .isEqualTo(owner.queryForObject("SELECT max(position) FROM audit_chain", Long.class));
        assertMatchesTheAudit(from);
        assertThat(folding.foldAll()).as("nothing left to fold").isZero();

        insert(now, "ACCEPTED", "[]", "[\"Tally rule\"]");
        assertMatchesTheAudit(from);
        chain.seal(1000);
        assertMatchesTheAudit(from);
    }

    private void assertMatchesTheAudit(Instant from) {
        Map<String, Long> perHour = new TreeMap<>();
        tallies.decisionsPerHour(from).forEach(c -> perHour.merge(c.hour() + " " + c.outcome(), c.decisions(), Long::sum));
        Map<String, Long> audit = new TreeMap<>();
        owner.query("""
                SELECT date_trunc('hour', received_at, 'UTC'), outcome, count(*) FROM decision_audit
                WHERE received_at >= ? GROUP BY 1, 2""", rs -> {
            audit.put(rs.getTimestamp(1).toInstant() + " " + rs.getString(2), rs.getLong(3));
        }, Timestamp.from(from.truncatedTo(ChronoUnit.HOURS)));
        assertThat(perHour).as("decisions per hour and outcome").isEqualTo(audit).isNotEmpty();
        assertThat(tallies.topViolations(from, 2)).as("the most counted codes, most first")
                .containsExactly(new Tallies.Count("TALLY_TEST", 6), new Tallies.Count("OTHER", 3));
        assertThat(tallies.firedSince(from)).as("firings per rule").isEqualTo(Map.of("Tally rule",
                owner.queryForObject("SELECT count(*) FROM decision_audit WHERE received_at >= ?", Long.class,
                        Timestamp.from(from.truncatedTo(ChronoUnit.HOURS)))));
    }

    /**
     * A decision received at {@code at}: as the owner, since the application role may only record
     * decisions received now (V14), and this test needs a history of days.
     */
    private void insert(Instant at, String outcome, String violations, String firedRules) {
        UUID id = UUID.randomUUID();
        owner.update("""
                INSERT INTO decision_audit (decision_id, received_at, source, event_type, idempotency_key, user_name,
                    outcome, http_status, violations, fired_rules, ruleset_version, response_body)
                VALUES (?, ?, 'webhook', 'user.created', ?, 'tally@acme.com', ?, 200, ?::jsonb, ?::jsonb, 'test', '{}')
                """, id, Timestamp.from(at), "tally-test:" + id, outcome, violations, firedRules);
    }
}
