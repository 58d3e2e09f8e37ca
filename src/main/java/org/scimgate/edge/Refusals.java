package org.scimgate.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.scimgate.audit.DecisionIds;
import org.scimgate.audit.DecisionRecord;
import org.scimgate.decision.Decisions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Refusals before authentication (the webhook's, the gateway's, the API's): counted per client
 * address and minute, and recorded as one audit row per address and minute, with its counts,
 * first and last times and a sample, so that the row is sealed in the chain and reaches the SIEM
 * like any decision, while a flood of them costs the audit one row a minute per address. Past
 * {@code scimgate.edge.refusals-per-minute} in a minute an address's refusals are answered 429
 * with Retry-After (and still counted). Authenticated requests never come here.
 */
@Component
public class Refusals implements DisposableBean {

    static final String SOURCE = "edge";
    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

    private final RefusalTally tally;
    private final Decisions decisions;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    Refusals(EdgeSettings settings, Decisions decisions, ObjectMapper json) {
        this.tally = new RefusalTally(settings.refusalsPerMinute(), settings.trackedAddresses(), DecisionIds::next);
        this.decisions = decisions;
        this.json = json;
    }

    /**
     * How a refused caller is answered: 401 with the id of the row that will record this minute of
     * its address's refusals, or 429 after {@code retryAfterSeconds} once it is over its budget.
     */
    public record Refusal(UUID rowId, boolean throttled, long retryAfterSeconds) {

        public int status() {
            return throttled ? 429 : 401;
        }
    }

    /**
     * Counts the refusal of {@code request} by {@code endpoint} ("webhook", "gateway", "api") for
     * {@code reason}; {@code deliveryId} is kept in the sample, shortened. Reads no body.
     */
    public Refusal refused(HttpServletRequest request, String endpoint, String reason, String deliveryId) {
        RefusalTally.Counted counted = tally.count(request.getRemoteAddr(), clock.instant(),
                new RefusalTally.Sample(endpoint, request.getMethod(), request.getRequestURI(), reason, deliveryId,
                        request.getHeader("User-Agent")));
        return new Refusal(counted.rowId(), counted.throttled(), counted.retryAfterSeconds());
    }

    /** Writes the minutes that have ended; those the audit cannot take now are kept for the next run. */
    @Scheduled(fixedDelay = 5, initialDelay = 5, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
    public void recordClosedMinutes() {
        write(tally.closedBefore(clock.instant()));
    }

    /** Writes every tally, the current minute's too (a new row then starts for the rest of the minute). */
    public void recordAll() {
        write(tally.all());
    }

    @Override
    public void destroy() {
        recordAll();
    }

    private void write(List<RefusalTally.Window> windows) {
        List<RefusalTally.Window> unwritten = new ArrayList<>();
        for (RefusalTally.Window window : windows) {
            if (!unwritten.isEmpty()) {
                unwritten.add(window);
                continue;
            }
            try {
                decisions.record(row(window));
            } catch (DataAccessException | TransactionException e) {
                LOG.warn("Refusals before authentication could not be recorded yet; retrying: {}", e.toString());
                unwritten.add(window);
            } catch (RuntimeException e) {
                LOG.error("Refusals before authentication from one address could not be recorded and are dropped", e);
            }
        }
        if (!unwritten.isEmpty()) {
            tally.putBack(unwritten);
        }
        long dropped = tally.takeDropped();
        if (dropped > 0) {
            LOG.error("{} refusals before authentication were dropped uncounted: the audit could not take them in time",
                    dropped);
        }
    }

    private DecisionRecord row(RefusalTally.Window w) {
        ObjectNode payload = json.createObjectNode();
        payload.put("address", w.address()).put("minute", w.minute().toString())
                .put("first", w.first().toString()).put("last", w.last().toString())
                .put("refused", w.refused()).put("throttled", w.throttled());
        ObjectNode by = payload.putObject("byEndpoint");
        w.byEndpoint().forEach(by::put);
        payload.set("sample", json.valueToTree(w.sample()));
        String detail = (w.refused() + w.throttled()) + " requests refused before authentication from " + w.address()
                + " between " + w.first() + " and " + w.last() + ": " + w.refused() + " answered 401, "
                + w.throttled() + " answered 429";
        return new DecisionRecord(w.rowId(), clock.instant(), SOURCE, "refusals.unauthenticated",
                w.minute().toString(), null, "refusals:" + w.rowId(), null, null, "UNAUTHENTICATED",
                w.refused() > 0 ? 401 : 429, null, null, decisions.policy(null).rulesetVersion(), null, detail,
                payload, "", null, null);
    }
}
