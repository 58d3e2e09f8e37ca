package org.scimgate.console;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scimgate.audit.ChainStatus;
import org.scimgate.audit.Tallies;
import org.scimgate.siem.Outbox;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The overview's aggregates, from the audit's tallies and chain status and the outbox's counts, all
 * read in one repeatable-read snapshot: each decision counts exactly once, and the cost does not
 * grow with the audit (see {@link Tallies}). The chain's head is read by its primary key: the audit
 * is never verified here (that walks every row).
 */
@Component
class OverviewQueries {

    static final List<String> OUTCOMES = List.of("ACCEPTED", "ACCEPTED_WITH_WARNINGS", "REJECTED", "IGNORED",
            "MALFORMED", "UNAUTHENTICATED", "FORWARDED", "UNAVAILABLE", "UPSTREAM_ERROR", "PRECONDITION_FAILED",
            "NONCOMPLIANT_ACCOUNT");

    private final Tallies tallies;
    private final ChainStatus chain;
    private final Outbox outbox;
    private final TransactionTemplate snapshot;

    OverviewQueries(Tallies tallies, ChainStatus chain, Outbox outbox, PlatformTransactionManager transactions) {
        this.tallies = tallies;
        this.chain = chain;
        this.outbox = outbox;
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    Overview overview(Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        return snapshot.execute(tx -> {
            Overview.Series[] series = series(hour.minus(Duration.ofHours(23)), day.minus(Duration.ofDays(29)));
            List<Overview.Count> top = tallies.topViolations(hour.minus(Duration.ofDays(7)), 10).stream()
                    .map(c -> new Overview.Count(c.name(), c.count())).toList();
            return new Overview(series[0], series[1], top, outbox.count("PENDING"), outbox.count("DEAD"),
                    chain.head().map(OverviewQueries::head).orElse(null),
                    chain.lastCheckpoint().map(OverviewQueries::head).orElse(null), chain.unsealed());
        });
    }

    /** How often each rule fired in decisions received since the hour of {@code from}, by rule name. */
    Map<String, Long> firedSince(Instant from) {
        return tallies.firedSince(from);
    }

    /** The violation codes decisions received since the hour of {@code from} carried (at most 500). */
    List<String> codesSince(Instant from) {
        return tallies.topViolations(from, 500).stream().map(Tallies.Count::name).toList();
    }

    /** The last 24 hours by hour and the last 30 days by day, from one read of the hourly counts. */
    private Overview.Series[] series(Instant hoursFrom, Instant daysFrom) {
        Buckets hours = new Buckets(hoursFrom, 24, Duration.ofHours(1));
        Buckets days = new Buckets(daysFrom, 30, Duration.ofDays(1));
        for (Tallies.HourlyCount count : tallies.decisionsPerHour(daysFrom)) {
            hours.add(count.hour(), count.outcome(), count.decisions());
            days.add(count.hour(), count.outcome(), count.decisions());
        }
        return new Overview.Series[] {hours.series(true), days.series(false)};
    }

    private static Overview.ChainHead head(ChainStatus.Mark mark) {
        return new Overview.ChainHead(mark.position(), mark.hash(), mark.at());
    }

    /** Counts per outcome in equal steps from {@code from}; hours outside are ignored. */
    private static final class Buckets {
        private final Instant from;
        private final int size;
        private final Duration step;
        private final Map<String, long[]> byOutcome = new LinkedHashMap<>();

        Buckets(Instant from, int size, Duration step) {
            this.from = from;
            this.size = size;
            this.step = step;
        }

        void add(Instant hour, String outcome, long count) {
            if (hour.isBefore(from)) {
                return;
            }
            long index = Duration.between(from, hour).toMillis() / step.toMillis();
            if (index < size) {
                byOutcome.computeIfAbsent(outcome, o -> new long[size])[(int) index] += count;
            }
        }

        Overview.Series series(boolean hourly) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String label = from.plus(step.multipliedBy(i)).toString();
                labels.add(hourly ? label.substring(5, 16).replace('T', ' ') : label.substring(0, 10));
            }
            Map<String, long[]> ordered = new LinkedHashMap<>();
            OUTCOMES.stream().filter(byOutcome::containsKey).forEach(o -> ordered.put(o, byOutcome.get(o)));
            byOutcome.forEach(ordered::putIfAbsent);
            return new Overview.Series(labels, ordered);
        }
    }
}
