package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestPostgres;
import org.scimgate.support.TestService;
import org.scimgate.support.WholeServiceTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two gateway instances on one database, one stand-in Genesys: one instance adds a user to Finance
 * Payables while the other adds it to Finance Approvers. An in-JVM lock could not serialise them;
 * the database's does, so one passes and the other is refused and recorded as a conflict.
 */
@WholeServiceTest
class MembershipRaceAcrossInstancesTest {

    private static final String PATCH_ADD = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"%s\"}]}]}";

    private static ConfigurableApplicationContext instance(TestPostgres.Database database, MembershipGenesys genesys) {
        return TestService.start(database,
                "--scimgate.gateway.scim-token=" + MembershipGenesys.IDP_TOKEN,
                "--scimgate.gateway.membership-lock-wait=6s",
                "--scimgate.genesys.client-id=client",
                "--scimgate.genesys.client-secret=secret",
                "--scimgate.genesys.api-base-url=" + genesys.uri(),
                "--scimgate.genesys.login-base-url=" + genesys.uri(),
                "--scimgate.policy.evaluation-timeout=30s",
                "--scimgate.siem.relay-enabled=false");
    }

    @Test
    void twoInstancesAddingOneUserToBothGroupsOfAPairAtOnceNeverBothPass() throws Exception {
        TestPostgres.Database database = TestPostgres.newDatabase();
        try (MembershipGenesys genesys = new MembershipGenesys();
             ConfigurableApplicationContext first = instance(database, genesys);
             ConfigurableApplicationContext second = instance(database, genesys)) {
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            String user = "u-two-instances";
            genesys.holdFirstWriteUntil(() -> genesys.reads("/users/" + user).size() >= 2 || jdbc.queryForObject(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", Integer.class) > 0);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<HttpResponse<String>> answers;
            try {
                Future<HttpResponse<String>> payables = pool.submit(() -> {
                    start.await();
                    return genesys.send(TestService.port(first), "PATCH", "/Groups/g-pay", PATCH_ADD.formatted(user));
                });
                Future<HttpResponse<String>> approvers = pool.submit(() -> {
                    start.await();
                    return genesys.send(TestService.port(second), "PATCH", "/Groups/g-app", PATCH_ADD.formatted(user));
                });
                answers = List.of(payables.get(60, TimeUnit.SECONDS), approvers.get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
            List<String> shown = answers.stream().map(a -> a.statusCode() + " " + a.body()).toList();
            assertThat(answers.stream().filter(a -> a.statusCode() == 204)).as("exactly one passes: %s", shown)
                    .hasSize(1);
            assertThat(answers.stream().filter(a -> a.statusCode() == 400 && a.body().contains("ACCESS_SOD_CONFLICT")))
                    .as("the other is refused as a conflict: %s", shown).hasSize(1);
            assertThat(genesys.groupsOf(user)).hasSize(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM decision_audit WHERE user_name = ? AND outcome = "
                    + "'REJECTED' AND violations::text LIKE '%ACCESS_SOD_CONFLICT%'", Integer.class, user + "@acme.com"))
                    .as("the refusal is on file").isEqualTo(1);
        }
    }
}
