package org.scimgate.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestCredentials;

/**
 * Genesys down, slow, rate limiting or gone; an instance that dies or stops in the middle of a call;
 * two instances at once. Nothing is lost, and no decision is acted on by two instances.
 */
class RemediationUnderFailureTest extends RemediationTestSupport {

    @Test
    void anActionWaitsOutAGenesysOutageAndIsDoneOnceGenesysIsBack() throws Exception {
        String id = account("outage@evil.com");
        refused(id);
        RemediationRelay relay = relay("outage", settings("on", 1_000_000, 12));

        genesys.mode(GenesysAccounts.Mode.UNREACHABLE);
        relay.drain();
        awaitDue(id);
        genesys.mode(GenesysAccounts.Mode.UNAVAILABLE);
        relay.drain();
        assertThat(action(id)).containsEntry("status", "PENDING").containsEntry("attempts", 2)
                .containsEntry("last_status", 503);
        assertThat(genesys.active(id)).isTrue();

        genesys.mode(GenesysAccounts.Mode.UP);
        awaitDue(id);
        relay.drain();

        assertThat(action(id)).containsEntry("status", "DONE").containsEntry("attempts", 3);
        assertThat(genesys.deactivations(id)).isEqualTo(1);
    }

    @Test
    void aRateLimitWaitsWhatRetryAfterAsksWithoutCountingAnAttempt() throws Exception {
        String id = account("limited@evil.com");
        refused(id);
        genesys.mode(GenesysAccounts.Mode.RATE_LIMITED);
        Instant before = Instant.now();

        relay("limited", settings("on", 1_000_000, 1)).drain();

        assertThat(action(id)).containsEntry("status", "PENDING").containsEntry("attempts", 0)
                .containsEntry("last_status", 429);
        Timestamp next = jdbc.queryForObject("SELECT next_attempt_at FROM remediation_action WHERE target_id = ?",
                Timestamp.class, id);
        assertThat(next.toInstant()).isAfterOrEqualTo(before.plusSeconds(29));
        // Not due before then: a relay run now makes no call.
        int calls = genesys.patches(id).size();
        genesys.mode(GenesysAccounts.Mode.UP);
        relay("too-soon", settings("on", 1_000_000, 1)).drain();
        assertThat(genesys.patches(id)).hasSize(calls);
        owner().update("UPDATE remediation_action SET next_attempt_at = now() WHERE target_id = ?", id); // 30 s later
        relay("later", settings("on", 1_000_000, 1)).drain();
        assertThat(action(id)).containsEntry("status", "DONE");
    }

    @Test
    void anAccountGenesysNoLongerHoldsCountsAsDoneWithItsAnswerAndARefusalAsFailed() throws Exception {
        String gone = "g-gone-" + UUID.randomUUID();
        refused(gone);
        relay("gone", settings("on", 1_000_000, 12)).drain();
        assertThat(action(gone)).containsEntry("status", "DONE").containsEntry("last_status", 404);
        assertThat((String) action(gone).get("last_answer")).contains("the account is gone");

        String kept = account("kept@evil.com");
        refused(kept);
        genesys.mode(GenesysAccounts.Mode.FORBIDDEN);
        relay("refused", settings("on", 1_000_000, 12)).drain();
        assertThat(action(kept)).containsEntry("status", "FAILED").containsEntry("last_status", 403);
        assertThat((String) action(kept).get("last_answer")).contains("directory:user:edit");
        relay("refused-again", settings("on", 1_000_000, 12)).drain();
        assertThat(genesys.patches(kept)).as("a refusal is not retried by itself").hasSize(1);
    }

    @Test
    void afterTheLastAttemptAnActionIsDeadUntilAnOperatorRetriesIt() throws Exception {
        String id = account("dead@evil.com");
        refused(id);
        genesys.mode(GenesysAccounts.Mode.UNAVAILABLE);
        RemediationRelay relay = relay("dead", settings("on", 1_000_000, 2));
        relay.drain();
        awaitDue(id);
        relay.drain();
        assertThat(action(id)).containsEntry("status", "DEAD").containsEntry("attempts", 2);

        genesys.mode(GenesysAccounts.Mode.UP);
        relay.drain();
        assertThat(action(id)).containsEntry("status", "DEAD");
        mvc.perform(post("/api/v1/remediations/" + action(id).get("id") + "/retry")
                .header("Authorization", TestCredentials.OPERATOR)).andExpect(status().isOk());
        relay.drain();
        assertThat(action(id)).containsEntry("status", "DONE").containsEntry("attempts", 1);
        assertThat(genesys.deactivations(id)).isEqualTo(1);
    }

    @Test
    void aRelayWhoseLeaseLapsedCanRecordNothing() throws Exception {
        String id = account("fenced@evil.com");
        refused(id);
        List<ActionQueue.Claimed> first = queue.claim("fenced-a", 1000, Duration.ofMillis(1), true, 1_000_000);
        ActionQueue.Claimed mine = first.stream().filter(c -> c.targetId().equals(id)).findFirst().orElseThrow();
        Awaitility.await().until(() -> jdbc.queryForObject(
                "SELECT locked_until < now() FROM remediation_action WHERE target_id = ?", Boolean.class, id));
        List<ActionQueue.Claimed> second = queue.claim("fenced-b", 1000, Duration.ofSeconds(60), true, 1_000_000);
        ActionQueue.Claimed taken = second.stream().filter(c -> c.targetId().equals(id)).findFirst().orElseThrow();

        assertThat(queue.renew("fenced-a", mine, Duration.ofSeconds(60))).isFalse();
        assertThat(queue.settle("fenced-a", mine, "DONE", true, 200, "stale")).isFalse();
        assertThat(queue.retryLater("fenced-a", mine, true, 503, "stale", settings("on", 1, 1), null)).isNull();
        // The same owner with another claim's token is fenced too.
        assertThat(queue.settle("fenced-b", mine, "DONE", true, 200, "stale")).isFalse();
        assertThat(action(id)).containsEntry("status", "PENDING").containsEntry("attempts", 0);

        assertThat(queue.settle("fenced-b", taken, "DONE", true, 200, "done")).isTrue();
        assertThat(action(id)).containsEntry("status", "DONE").containsEntry("last_answer", "done");
        queue.releaseLeases("fenced-a");
    }

    @Test
    void anInstanceThatDiesAfterItsCallIsTakenOverAndTheActionRecordedOnce() throws Exception {
        String id = account("crash@evil.com");
        refused(id);
        ActionType dying = new ActionType() {
            @Override
            public String name() {
                return "deactivate";
            }

            @Override
            public String describe(String targetId) {
                return "die";
            }

            @Override
            public Outcome carryOut(String targetId) {
                types.get(0).carryOut(targetId);
                throw new IllegalStateException("the instance died before it recorded the answer");
            }
        };
        RemediationSettings shortLease = new RemediationSettings("on", 1_000_000, 10, Duration.ofSeconds(5),
                Duration.ofMillis(300), 12, Duration.ofMillis(1), Duration.ofMillis(1), false);
        RemediationRelay crashed = new RemediationRelay(queue, List.of(dying), shortLease, "crashed");
        assertThatThrownBy(crashed::drain).hasMessageContaining("died");
        assertThat(action(id)).containsEntry("status", "PENDING");

        RemediationRelay survivor = relay("survivor", settings("on", 1_000_000, 12));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            survivor.drain();
            return "DONE".equals(action(id).get("status"));
        });

        assertThat(actions(id)).hasSize(1);
        assertThat(action(id)).containsEntry("attempts", 1);
        assertThat(jdbc.queryForObject("SELECT outcome_seq FROM remediation_action WHERE target_id = ?", Integer.class, id))
                .as("one outcome recorded").isEqualTo(1);
        // The call itself was repeated by the instance that took over: deactivating twice leaves it inactive.
        assertThat(genesys.deactivations(id)).isEqualTo(2);
        assertThat(genesys.active(id)).isFalse();
    }

    @Test
    void anInstanceStoppedInTheMiddleFinishesItsCallAndHandsTheRestToAnother() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(account("stop" + i + "@evil.com"));
            refused(ids.get(i));
        }
        genesys.slowPatches(300);
        RemediationRelay stopping = relay("stopping", settings("on", 1_000_000, 12));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> run = thread.submit(stopping::drain);
            Awaitility.await().until(() -> ids.stream().anyMatch(id -> !genesys.patches(id).isEmpty()));
            stopping.stop();
            run.get();
        } finally {
            thread.shutdownNow();
        }
        genesys.slowPatches(0);
        assertThat(ids).anySatisfy(id -> assertThat(action(id)).containsEntry("status", "PENDING"));

        relay("restarted", settings("on", 1_000_000, 12)).drain();

        assertThat(ids).allSatisfy(id -> {
            assertThat(action(id)).containsEntry("status", "DONE");
            assertThat(genesys.deactivations(id)).as(id).isEqualTo(1);
        });
    }

    @Test
    void twoInstancesNeverBothActOnOneDecision() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(account("race" + i + "@evil.com"));
            refused(ids.get(i));
        }
        genesys.slowPatches(20);
        RemediationSettings oneAtATime = new RemediationSettings("on", 1_000_000, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(60), 12, Duration.ofMillis(1), Duration.ofMillis(1), false);
        RemediationRelay a = relay("race-a", oneAtATime);
        RemediationRelay b = relay("race-b", oneAtATime);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> byA = threads.submit(a::drain);
            Future<Integer> byB = threads.submit(b::drain);
            assertThat(byA.get() + byB.get()).isGreaterThanOrEqualTo(12);
        } finally {
            threads.shutdownNow();
        }

        assertThat(ids).allSatisfy(id -> {
            assertThat(action(id)).containsEntry("status", "DONE").containsEntry("attempts", 1);
            assertThat(genesys.patches(id)).as(id).hasSize(1);
        });
    }

    /** Waits until the action's backoff (1 ms in these tests) has passed. */
    private void awaitDue(String id) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT next_attempt_at <= now() FROM remediation_action WHERE target_id = ?", Boolean.class, id));
    }
}
