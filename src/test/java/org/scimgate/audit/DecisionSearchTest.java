package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The user filter of the audit search, as analysts type it: any part of the name, in any case. The
 * characters LIKE treats as wildcards are matched as themselves, so a filter never selects more
 * than the names that contain it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionSearchTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private JdbcTemplate sql;
    private DecisionQuery query;

    @BeforeAll
    void database() {
        ChainDatabase database = ChainDatabase.create();
        sql = database.ownerSql();
        query = new DecisionQuery(JdbcClient.create(database.owner()), new ObjectMapper().findAndRegisterModules(),
                database.owner(), new DataSourceTransactionManager(database.owner()));
        for (String user : List.of("MALLORY-" + RUN + "@Evil.com", "alice-" + RUN + "@acme.com",
                "x_y-" + RUN + "@acme.com", "xzy-" + RUN + "@acme.com", "100%-" + RUN + "@acme.com",
                "1000-" + RUN + "@acme.com", "a!b-" + RUN + "@acme.com")) {
            insert(user);
        }
    }

    @Test
    void matchesAnyPartOfTheUserNameInAnyCase() {
        assertThat(users("mallory-" + RUN)).containsExactly("MALLORY-" + RUN + "@Evil.com");
        assertThat(users(RUN + "@EVIL.COM")).containsExactly("MALLORY-" + RUN + "@Evil.com");
        assertThat(users("LiCe-" + RUN)).containsExactly("alice-" + RUN + "@acme.com");
        assertThat(users("MALLORY-" + RUN + "@Evil.com")).as("the whole name still matches")
                .containsExactly("MALLORY-" + RUN + "@Evil.com");
    }

    @Test
    void matchesLikeWildcardsAsThemselves() {
        assertThat(users("x_y-" + RUN)).as("_ is not any one character").containsExactly("x_y-" + RUN + "@acme.com");
        assertThat(users("100%-" + RUN)).as("% is not any text").containsExactly("100%-" + RUN + "@acme.com");
        assertThat(users("a!b-" + RUN)).as("the escape character itself").containsExactly("a!b-" + RUN + "@acme.com");
        assertThat(users("%" + RUN)).as("no user name has a % before the run").isEmpty();
    }

    private List<String> users(String filter) {
        return query.search(new DecisionQuery.Filter(filter, null, null, null, null, null, 50)).items().stream()
                .map(DecisionView::userName).toList();
    }

    private void insert(String user) {
        UUID id = UUID.randomUUID();
        sql.update("""
                INSERT INTO decision_audit (decision_id, received_at, source, idempotency_key, user_name, outcome,
                    http_status, response_body)
                VALUES (?, ?, 'webhook', ?, ?, 'ACCEPTED', 200, '{}')""",
                id, Timestamp.from(Instant.now()), "delivery:" + id, user);
    }
}
