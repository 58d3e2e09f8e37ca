package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Keyset paging of the audit on a real PostgreSQL, with decisions whose arrival order is not the
 * order they were received in (as concurrent webhook threads and group commits leave them): pages
 * of a time window hold exactly the window, newest first, and a window far back is read from its
 * upper bound instead of through every newer row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionPagingTest {

    private static final Instant BASE = Instant.parse("2026-10-01T00:00:00Z");
    /** Older than every other row: the window far back that the filler rows must not make slow. */
    private static final Instant DEEP = BASE.minus(Duration.ofDays(60));

    private JdbcTemplate sql;
    private DecisionQuery query;

    @BeforeAll
    void database() {
        ChainDatabase database = ChainDatabase.create();
        sql = database.ownerSql();
        query = new DecisionQuery(JdbcClient.create(database.owner()), new ObjectMapper().findAndRegisterModules(),
                database.owner(), new DataSourceTransactionManager(database.owner()));
    }

    @Test
    void pagesATimeWindowNewestFirstWithoutSkippingOrRepeatingARow() {
        String user = "window-" + UUID.randomUUID();
        List<Instant> times = new ArrayList<>();
        for (int minute = 0; minute < 40; minute++) {
            times.add(BASE.plus(Duration.ofMinutes(minute)));
        }
        // Three decisions received in the same microsecond, inside the window: the sequence orders them.
        times.addAll(List.of(BASE.plus(Duration.ofMinutes(20)), BASE.plus(Duration.ofMinutes(20))));
        Collections.shuffle(times, new Random(17));
        times.forEach(t -> insert(user, t));
        Instant from = BASE.plus(Duration.ofMinutes(10));
        Instant to = BASE.plus(Duration.ofMinutes(30));
        List<String> expected = sql.queryForList("""
                SELECT decision_id::text FROM decision_audit WHERE user_name = ? AND received_at >= ? AND received_at < ?
                ORDER BY received_at DESC, seq DESC""", String.class, user, Timestamp.from(from), Timestamp.from(to));
        assertThat(expected).hasSize(22);

        List<String> paged = new ArrayList<>();
        Long cursor = null;
        int pages = 0;
        do {
            DecisionQuery.Page page = query.search(new DecisionQuery.Filter(user, null, null, from, to, cursor, 4));
            assertThat(page.items()).hasSizeBetween(1, 4);
            page.items().forEach(d -> assertThat(d.receivedAt()).isBetween(from, to.minusNanos(1000)));
            page.items().forEach(d -> paged.add(d.decisionId().toString()));
            cursor = page.nextCursor() == null ? null : Long.valueOf(page.nextCursor());
            pages++;
        } while (cursor != null);

        assertThat(paged).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(6);
    }

    @Test
    void aDecisionArrivingBetweenPagesIsNeitherRepeatedNorLostFromThoseStillToCome() {
        String user = "arriving-" + UUID.randomUUID();
        for (int minute = 0; minute < 10; minute++) {
            insert(user, BASE.plus(Duration.ofMinutes(minute)));
        }
        DecisionQuery.Page first = query.search(new DecisionQuery.Filter(user, null, null, null, null, null, 5));
        // One received now (newer than every page) and one received long ago but written only now.
        insert(user, Instant.now());
        UUID late = insert(user, BASE.minus(Duration.ofMinutes(1)));
        DecisionQuery.Page second = query.search(new DecisionQuery.Filter(user, null, null, null, null,
                Long.valueOf(first.nextCursor()), 5));

        List<UUID> seen = new ArrayList<>();
        first.items().forEach(d -> seen.add(d.decisionId()));
        second.items().forEach(d -> seen.add(d.decisionId()));
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(second.items()).hasSize(5);
        assertThat(second.nextCursor()).isNotNull();
        DecisionQuery.Page third = query.search(new DecisionQuery.Filter(user, null, null, null, null,
                Long.valueOf(second.nextCursor()), 5));
        assertThat(third.items()).extracting(DecisionView::decisionId).containsExactly(late);
    }

    @Test
    void aCursorNoDecisionHasSelectsNothing() {
        for (long hostile : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, -1}) {
            DecisionQuery.Page page = query.search(new DecisionQuery.Filter(null, null, null, null, null, hostile, 25));
            assertThat(page.items()).as("cursor %d", hostile).isEmpty();
            assertThat(page.nextCursor()).isNull();
        }
    }

    @Test
    void readsAWindowFarBackFromItsUpperBoundNotThroughEveryNewerDecision() {
        String user = "deep-" + UUID.randomUUID();
        // Two thousand decisions a second apart long ago, then twenty thousand newer ones, as the audit grows:
        // enough in the window that walking the sequence back looks cheap to the planner, and is not.
        insertMany(user, DEEP, 2_000);
        insertMany("filler", BASE, 20_000);
        sql.execute("ANALYZE decision_audit");
        Instant from = DEEP;
        Instant to = DEEP.plus(Duration.ofHours(1));

        DecisionQuery.Page first = query.search(new DecisionQuery.Filter(null, null, null, from, to, null, 25));
        assertThat(first.items()).hasSize(25).allMatch(d -> d.userName().equals(user));
        assertThat(rowsRead(new DecisionQuery.Filter(null, null, null, from, to, null, 25)))
                .as("rows of decision_audit the first page's plan read").isLessThan(100);
        assertThat(rowsRead(new DecisionQuery.Filter(null, null, null, from, to, Long.valueOf(first.nextCursor()), 25)))
                .as("rows of decision_audit the second page's plan read").isLessThan(100);
    }

    /** Rows the plan read from {@code decision_audit}: those it returned upwards and those its filters dropped. */
    private long rowsRead(DecisionQuery.Filter filter) {
        Map<String, Object> params = new LinkedHashMap<>();
        String search = query.searchSql(filter, params);
        String plan = new NamedParameterJdbcTemplate(sql).queryForObject("EXPLAIN (ANALYZE, FORMAT JSON) " + search,
                params, String.class);
        try {
            return rowsRead(new ObjectMapper().readTree(plan).get(0).get("Plan"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long rowsRead(JsonNode node) {
        long rows = 0;
        if ("decision_audit".equals(node.path("Relation Name").asText())) {
            long loops = Math.max(1, node.path("Actual Loops").asLong());
            rows += (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong()) * loops;
        }
        for (JsonNode child : node.path("Plans")) {
            rows += rowsRead(child);
        }
        return rows;
    }

    private void insertMany(String user, Instant first, int count) {
        sql.update("""
                INSERT INTO decision_audit (decision_id, received_at, source, idempotency_key, user_name, outcome,
                    http_status, response_body)
                SELECT gen_random_uuid(), CAST(? AS timestamptz) + g * interval '1 second', 'webhook',
                       'bulk:' || gen_random_uuid(), ?, 'ACCEPTED', 200, '{}'
                FROM generate_series(1, ?) g""", Timestamp.from(first), user, count);
    }

    private UUID insert(String user, Instant receivedAt) {
        UUID id = UUID.randomUUID();
        sql.update("""
                INSERT INTO decision_audit (decision_id, received_at, source, idempotency_key, user_name, outcome,
                    http_status, response_body)
                VALUES (?, ?, 'webhook', ?, ?, 'ACCEPTED', 200, '{}')""",
                id, Timestamp.from(receivedAt), "delivery:" + id, user);
        return id;
    }
}
