package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Segregation of duties holds when two changes race: two requests adding one user to the two
 * groups of the shipped pair at once never both pass. The stand-in Genesys holds the first write
 * until the second request has either read the user's groups (the race the gate must not lose) or
 * is seen waiting for the user's lock in {@code pg_locks}, so the interleaving is forced, not hoped
 * for. A lock held elsewhere (another instance) past the wait is a recorded refusal, and it holds
 * up no other user.
 */
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentMembershipTest {

    private static final MembershipGenesys GENESYS = new MembershipGenesys();
    private static final String PATCH_ADD = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"$ref\":null,\"value\":\"%s\"}]}]}";
    /** The lock space and key the gateway uses: another instance on the database takes the same lock. */
    private static final int LOCK_SPACE = 0x5C1D;
    private static final String BUSY = "ACCESS_MEMBERSHIPS_BUSY";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.newDatabase().register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.gateway.scim-token", () -> MembershipGenesys.IDP_TOKEN);
        registry.add("scimgate.gateway.membership-lock-wait", () -> "6s");
        registry.add("scimgate.genesys.client-id", () -> "client");
        registry.add("scimgate.genesys.client-secret", () -> "secret");
        registry.add("scimgate.genesys.api-base-url", () -> GENESYS.uri().toString());
        registry.add("scimgate.genesys.login-base-url", () -> GENESYS.uri().toString());
        registry.add("scimgate.policy.evaluation-timeout", () -> "30s");
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> System.getProperty("java.io.tmpdir") + "/scimgate-sod-siem.ndjson");
    }

    @AfterAll
    static void stop() {
        GENESYS.close();
    }

    @BeforeEach
    void freshGenesys() {
        GENESYS.reset();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"two PATCH adds", "a PATCH add and a PUT of the other group"})
    void twoRequestsAddingOneUserToBothGroupsOfAPairAtOnceNeverBothPass(String shape) throws Exception {
        String user = shape.startsWith("two") ? "u-race-patch" : "u-race-put";
        Race race = race(user, shape);

        assertThat(race.passed()).as("exactly one passes: %s", race).hasSize(1);
        assertThat(race.refused()).as("the other is refused: %s", race).hasSize(1);
        assertThat(race.refused().get(0).body()).contains("ACCESS_SOD_CONFLICT").contains("Finance Payables")
                .contains("Finance Approvers");
        assertThat(GENESYS.groupsOf(user)).as("Genesys holds the user in one group of the pair").hasSize(1);
        assertThat(conflictsOnFile(user)).as("the refusal is on file").isEqualTo(1);
    }

    @Test
    void aSecondAddIsJudgedWithTheFirstEvenWhenGenesysStillReadsTheUserWithoutIt() throws Exception {
        GENESYS.lag(); // a user's groups read as they were before either write
        Race race = race("u-race-lag", "two PATCH adds");

        assertThat(race.passed()).as("exactly one passes: %s", race).hasSize(1);
        assertThat(race.refused()).hasSize(1);
        assertThat(race.refused().get(0).body()).contains("ACCESS_SOD_CONFLICT");
        assertThat(GENESYS.groupsOf("u-race-lag")).hasSize(1);
        assertThat(conflictsOnFile("u-race-lag")).isEqualTo(1);
    }

    @Test
    void aLockHeldPastTheWaitIsARecordedRefusalAndHoldsUpNoOtherUser() throws Exception {
        int writes = GENESYS.writes().size();
        try (Connection other = dataSource.getConnection();
             PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
            // Another instance is in the middle of changing u-held's groups.
            lock.setInt(1, LOCK_SPACE);
            lock.setString(2, GENESYS.uri() + " client u-held");
            lock.execute();
            try {
                HttpResponse<String> refused = GENESYS.send(port, "PATCH", "/Groups/g-sup", PATCH_ADD.formatted("u-held"));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
                assertThat(refused.body()).contains(BUSY).contains("u-held");
                assertThat(GENESYS.writes()).as("nothing forwarded").hasSize(writes);
                assertThat(GENESYS.reads("/users/u-held")).as("not even judged").isEmpty();
                assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE operation = "
                        + "'PATCH /Groups/g-sup' AND outcome = 'REJECTED' AND violations::text LIKE ?", Integer.class,
                        "%" + BUSY + "%")).as("the refusal is on file").isEqualTo(1);

                HttpResponse<String> other2 = GENESYS.send(port, "PATCH", "/Groups/g-sup", PATCH_ADD.formatted("u-free"));
                assertThat(other2.statusCode()).as("another user is not held up: " + other2.body()).isEqualTo(204);
            } finally {
                lock.close();
                try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                    unlock.execute();
                }
            }
        }
        assertThat(GENESYS.send(port, "PATCH", "/Groups/g-sup", PATCH_ADD.formatted("u-held")).statusCode())
                .as("once the other change is done, the user's change goes through").isEqualTo(204);
    }

    /**
     * Adds {@code user} to Finance Payables and, at once, to Finance Approvers; the first write to
     * reach Genesys waits there until the other request has read the user, or waits for its lock.
     */
    private Race race(String user, String shape) throws Exception {
        GENESYS.holdFirstWriteUntil(() -> GENESYS.reads("/users/" + user).size() >= 2 || lockAwaited());
        String second = shape.startsWith("two") ? PATCH_ADD.formatted(user)
                : "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"id\":\"g-app\","
                + "\"displayName\":\"Finance Approvers\",\"members\":[{\"value\":\"" + user + "\"}]}";
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<HttpResponse<String>> payables = pool.submit(() -> {
                start.await();
                return GENESYS.send(port, "PATCH", "/Groups/g-pay", PATCH_ADD.formatted(user));
            });
            Future<HttpResponse<String>> approvers = pool.submit(() -> {
                start.await();
                return GENESYS.send(port, shape.startsWith("two") ? "PATCH" : "PUT", "/Groups/g-app", second);
            });
            return new Race(List.of(payables.get(60, TimeUnit.SECONDS), approvers.get(60, TimeUnit.SECONDS)));
        } finally {
            pool.shutdownNow();
        }
    }

    private boolean lockAwaited() {
        return jdbc.queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
                Integer.class) > 0;
    }

    private int conflictsOnFile(String user) {
        return jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE user_name = ? AND outcome = 'REJECTED' "
                + "AND violations::text LIKE '%ACCESS_SOD_CONFLICT%'", Integer.class, user + "@acme.com");
    }

    private record Race(List<HttpResponse<String>> answers) {

        List<HttpResponse<String>> passed() {
            return answers.stream().filter(a -> a.statusCode() / 100 == 2).toList();
        }

        List<HttpResponse<String>> refused() {
            return answers.stream().filter(a -> a.statusCode() == 400).toList();
        }

        @Override
        public String toString() {
            List<String> shown = new ArrayList<>();
            answers.forEach(a -> shown.add(a.statusCode() + " " + a.body()));
            return shown.toString();
        }
    }
}
