package org.scimgate.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestPostgres;

/**
 * The database's remediation trigger checks each refused decision's target for an open action with
 * one index probe, however many actions are open and whatever plan the inserting connection made
 * while the table was empty. Before, the check was planned as a join that read every open action
 * for each refused decision (the decision log's writers kept that plan for their connection's life),
 * and the webhook's throughput fell as the open actions grew. Checked on the plan PostgreSQL runs
 * (auto_explain of the trigger's statement), not on a time.
 */
class RemediationEnqueuePlanTest {

    private static final String OPEN_ACTIONS = "3000";
    private static TestPostgres.Database database;

    @BeforeAll
    static void migrated() {
        database = TestPostgres.newDatabase();
        Flyway.configure().dataSource(database.url(), database.username(), database.password())
                .locations("classpath:db/migration").placeholders(Map.of("app_role", TestPostgres.APP_ROLE))
                .load().migrate();
        // No statistics may arrive mid-test and replan the statement: the writers run for minutes
        // before autovacuum first looks at a new table, and a plan lives as long as its connection.
        database.asOwner().execute("ALTER TABLE remediation_action SET (autovacuum_enabled = false)");
    }

    @Test
    void aRefusedDecisionIsCheckedForAnOpenActionByOneIndexProbeWhateverTheConnectionPlannedWhenTheTableWasEmpty()
            throws SQLException {
        try (Connection writer = owner(); Statement sql = writer.createStatement()) {
            // The first refusal on this connection plans the trigger's statement, against an empty table.
            sql.execute(refused("first-target", 1));
            database.asOwner().update(refused("'open-' || g", Integer.parseInt(OPEN_ACTIONS)));
            assertThat(database.asOwner().queryForObject(
                    "SELECT count(*) FROM remediation_action WHERE status = 'PENDING' AND target_id LIKE 'open-%'",
                    Integer.class)).isEqualTo(Integer.parseInt(OPEN_ACTIONS));

            sql.execute("LOAD 'auto_explain'");
            sql.execute("SET auto_explain.log_min_duration = 0");
            sql.execute("SET auto_explain.log_nested_statements = on");
            sql.execute("SET auto_explain.log_analyze = on");
            sql.execute("SET auto_explain.log_level = notice");
            sql.execute("SET client_min_messages = notice");
            sql.execute(refused("'new-target'", 1));
            String plan = notices(sql.getWarnings()).stream()
                    .filter(notice -> notice.contains("INSERT INTO remediation_action")).findFirst().orElseThrow();

            assertThat(plan).as(plan).contains("remediation_action_target")
                    .containsPattern("Index Cond: \\(\\(target_id = ")
                    .doesNotContain("Rows Removed by Join Filter");
            assertThat(database.asOwner().queryForObject(
                    "SELECT count(*) FROM remediation_action WHERE target_id = 'new-target' AND status = 'PENDING'",
                    Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void aTargetWithAnOpenActionStillGetsNoSecond() throws SQLException {
        try (Connection writer = owner(); Statement sql = writer.createStatement()) {
            sql.execute(refused("'twice'", 1));
            sql.execute(refused("'twice'", 1));
        }
        assertThat(database.asOwner().queryForObject(
                "SELECT count(*) FROM remediation_action WHERE target_id = 'twice'", Integer.class)).isEqualTo(1);
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(database.url(), database.username(), database.password());
    }

    /** An INSERT of {@code count} refused user.created decisions whose Genesys id is {@code target} (an SQL expression of g). */
    private static String refused(String target, int count) {
        String id = target.startsWith("'") ? target : "'" + target + "'";
        return "INSERT INTO decision_audit (decision_id, received_at, source, event_type, idempotency_key, outcome, "
                + "http_status, violations, fired_rules, ruleset_version, response_body, scim_user_id, user_name) "
                + "SELECT gen_random_uuid(), now(), 'webhook', 'user.created', 'plan-test:' || gen_random_uuid(), "
                + "'REJECTED', 400, '[{\"code\":\"SCIM_INVALID_EMAIL_DOMAIN\",\"mode\":\"enforce\",\"remedy\":\"deactivate\"}]', "
                + "'[]', 'test', '{}', " + id + ", 'u' || g FROM generate_series(1, " + count + ") g";
    }

    private static List<String> notices(SQLWarning first) {
        List<String> notices = new ArrayList<>();
        for (SQLWarning w = first; w != null; w = w.getNextWarning()) {
            notices.add(w.getMessage());
        }
        return notices;
    }
}
