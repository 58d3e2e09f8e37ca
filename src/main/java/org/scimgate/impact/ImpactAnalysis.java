package org.scimgate.impact;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.Ruleset;
import org.springframework.stereotype.Component;

/**
 * The replay of a candidate laid over the live rules, for the API and the console alike. The
 * candidate goes through the live engine's own compiler and examples check before any of it runs
 * ({@link org.scimgate.policy.RulesetRejected} otherwise); one analysis runs at a time.
 */
@Component
public class ImpactAnalysis {

    private final PolicyEngine engine;
    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final Semaphore oneAtATime = new Semaphore(1);

    ImpactAnalysis(PolicyEngine engine, DataSource dataSource, ObjectMapper json) {
        this.engine = engine;
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Another analysis holds the server's cores. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("another impact analysis is running; retry when it has finished", null, false, false);
        }
    }

    /**
     * {@code files} maps paths relative to the rules directory to their new content, or null to
     * delete one; the window is {@code since} (like {@code 7d}) or {@code from}/{@code to}.
     */
    public ImpactReport run(String since, String from, String to, Map<String, String> files)
            throws IOException, SQLException {
        ReplayWindow window = ReplayWindow.of(since, from, to, clock);
        if (!oneAtATime.tryAcquire()) {
            throw new Busy();
        }
        try (CandidateOverlay overlay = CandidateOverlay.write(engine.rulesDir(), files);
             Ruleset candidate = engine.candidate(overlay.directory());
             Connection connection = dataSource.getConnection()) {
            ImpactReport.NotFaithful notFaithful = SensitiveReads.find(overlay.directory(),
                    candidate.sensitiveAttributes());
            return new Replay(candidate, json).run(new DecisionHistory(connection), window,
                    engine.ruleset().version(), notFaithful);
        } finally {
            oneAtATime.release();
        }
    }
}
