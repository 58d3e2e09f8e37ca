package org.scimgate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scimgate.genesys.CorrelationQuery;
import org.scimgate.genesys.Correlator;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;

/**
 * Each record has one relay at a time: a relay whose lease was taken over changes nothing and
 * sends nothing it lost. Delivery is at least once: two relays with a slow Genesys and a lease
 * shorter than one batch take records over from each other, and every decision still reaches the
 * SIEM; a record sent again after a takeover is counted, not forbidden.
 */
class LeaseFencingTest extends RelayTestSupport {

    @Test
    void aRelayWhoseLeaseWasTakenOverCannotMarkAnything() throws Exception {
        List<String> ids = decide(2, "acme.com");
        Outbox.Claimed first = outbox.claim("fenced-a", "default", 1000, Duration.ofMillis(1), Duration.ZERO);
        Thread.sleep(20); // the 1 ms lease lapses
        Outbox.Claimed second = outbox.claim("fenced-b", "default", 1000, Duration.ofSeconds(60), Duration.ZERO);
        try {
            List<UUID> ours = ids.stream().map(UUID::fromString).toList();
            assertThat(first.entries()).extracting(OutboxEntry::decisionId).containsAll(ours);
            assertThat(second.entries()).extracting(OutboxEntry::decisionId).containsAll(ours);
            assertThat(second.token()).isNotEqualTo(first.token());

            String a = first.owner();
            assertThat(outbox.renew(a, first.token(), ours, Duration.ofSeconds(60))).isEmpty();
            assertThat(outbox.correlated(a, first.token(), ours.get(0), "stale")).isFalse();
            assertThat(outbox.delivered(a, first.token(), Map.of(ours.get(0), "x", ours.get(1), "y"))).isZero();
            assertThat(outbox.failed(a, first.token(), ours, "stale", 1, Duration.ZERO, Duration.ZERO)).isZero();
            assertThat(outbox.refused(a, first.token(), ours, "stale")).isZero();
            assertThat(outbox.defer(a, first.token(), ours, Instant.now().plusSeconds(3600), "stale")).isZero();
            // The same owner with an old token is fenced too: the token, not only the name, is the lease.
            assertThat(outbox.delivered("fenced-b", first.token(), Map.of(ours.get(0), "x"))).isZero();
            assertThat(ids).allSatisfy(id -> {
                assertThat(row(id)).containsEntry("status", "PENDING").containsEntry("locked_by", "fenced-b")
                        .containsEntry("attempts", 0);
                assertThat(row(id).get("correlation_id")).isNull();
            });

            Map<UUID, String> correlations = new java.util.HashMap<>();
            ours.forEach(id -> correlations.put(id, "UNKNOWN_EVENT"));
            assertThat(outbox.delivered("fenced-b", second.token(), correlations)).isEqualTo(2);
        } finally {
            outbox.release("fenced-b");
        }
    }

    @Test
    void aRelayLeavesOutOfItsSendTheRecordsAnotherRelayTookOverWhileItWorked() throws Exception {
        String domain = "taken-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        List<String> ids = decide(3, domain);
        List<String> received = new CopyOnWriteArrayList<>();
        siem.respond(request -> {
            received.addAll(decisionIds(request.body()));
            return Response.of(200, "{}");
        });
        Correlator pausesOnTheLast = new Correlator() {
            @Override
            public Optional<String> correlate(CorrelationQuery query) {
                if (query.userName() == null || !query.userName().endsWith("@" + domain)) {
                    return Optional.of("not-this-test");
                }
                if (query.userName().startsWith("user2@")) {
                    // As if the relay paused past its lease: the lease runs out and another relay claims the rows.
                    try {
                        Thread.sleep(1100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    owner().update("UPDATE siem_outbox SET locked_until = now() - interval '1 second' "
                            + "WHERE decision_id = ANY(?::uuid[])", (Object) ids.toArray(String[]::new));
                    outbox.claim("taker", "default", 1000, Duration.ofMinutes(1), Duration.ZERO);
                }
                return Optional.of("audit-" + query.userName());
            }

            @Override
            public boolean enabled() {
                return true;
            }
        };
        try {
            relay("paused", jsonSink(siem.uri(), Duration.ofSeconds(5)), Duration.ofSeconds(60), Duration.ofSeconds(5),
                    12, Duration.ZERO, pausesOnTheLast).drain();
            assertThat(received).as("records whose lease was lost are not sent").doesNotContainAnyElementsOf(ids);
            assertThat(ids).allSatisfy(id -> assertThat(row(id)).containsEntry("status", "PENDING")
                    .containsEntry("locked_by", "taker"));
            assertThat((String) row(ids.get(0)).get("correlation_id")).as("stored while the lease held")
                    .isEqualTo("audit-user0@" + domain);
            assertThat(row(ids.get(2)).get("correlation_id")).as("not stored once the lease was lost").isNull();
        } finally {
            outbox.release("taker");
        }
    }

    @Test
    @Timeout(180)
    void twoRelaysWithASlowGenesysAndALeaseShorterThanABatchDeliverEveryDecisionAtLeastOnce() throws Exception {
        String domain = "slow-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
        List<String> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger siemCalls = new AtomicInteger();
        try (LoopbackServer genesys = new LoopbackServer()) {
            genesys.respond(request -> {
                String userName = json.readTree(request.body()).path("userName").asText();
                lookups.computeIfAbsent(userName, u -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(200);
                return Response.of(200, "{\"id\":\"audit-" + userName + "\"}");
            });
            siem.respond(request -> {
                if (siemCalls.incrementAndGet() == 1) {
                    return Response.of(503, "{}"); // the first batch is retried
                }
                accepted.addAll(decisionIds(request.body()));
                return Response.of(200, "{}");
            });
            Correlator slow = slowGenesys(genesys.uri(), domain);
            List<String> ids = decide(30, domain);
            Set<String> ours = Set.copyOf(ids);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> relays = new ArrayList<>();
                for (String owner : List.of("slow-a", "slow-b")) {
                    // 20 lookups of 200 ms in a batch outlast the 2 s lease: the other relay may take records over.
                    OutboxRelay relay = relay(owner, jsonSink(siem.uri(), Duration.ofSeconds(1)), Duration.ofSeconds(2),
                            Duration.ofSeconds(1), 12, Duration.ZERO, slow);
                    relays.add(pool.submit(() -> {
                        while (!accepted.containsAll(ours)) {
                            if (relay.drain() == 0) {
                                Thread.sleep(20); // pacing only: nothing was claimable
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> relay : relays) {
                    relay.get();
                }
            } finally {
                pool.shutdownNow();
            }
            List<String> delivered = accepted.stream().filter(ours::contains).toList();
            long duplicates = delivered.size() - delivered.stream().distinct().count();
            assertThat(delivered).as("every decision at least once at the SIEM (%d sent again after a takeover)",
                    duplicates).containsAll(ids);
            assertThat(lookups).as("Genesys asked for every decision").hasSize(ids.size())
                    .allSatisfy((user, count) -> assertThat(count.get()).as(user).isPositive());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids).allSatisfy(id -> {
                assertThat(row(id)).containsEntry("status", "DELIVERED");
                assertThat((String) row(id).get("correlation_id")).startsWith("audit-user");
            }));
        }
    }

    /** Asks a Genesys on loopback for this test's users; other tests' records are not looked up. */
    private Correlator slowGenesys(URI genesys, String domain) {
        HttpClient http = HttpClient.newHttpClient();
        return new Correlator() {
            @Override
            public Optional<String> correlate(CorrelationQuery query) {
                if (query.userName() == null || !query.userName().endsWith("@" + domain)) {
                    return Optional.of("not-this-test");
                }
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(genesys.resolve("/api/v2/audits/query/realtime"))
                            .POST(HttpRequest.BodyPublishers.ofString(json.createObjectNode()
                                    .put("userName", query.userName()).toString())).build(), HttpResponse.BodyHandlers.ofString());
                    return Optional.of(json.readTree(answer.body()).get("id").asText());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public boolean enabled() {
                return true;
            }
        };
    }
}
