package org.scimgate.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.scimgate.audit.RulesetArchive;
import org.scimgate.impact.ImpactAnalysis;
import org.scimgate.impact.ImpactReport;
import org.scimgate.policy.PolicyEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Four-eyes policy changes. A proposal is a candidate (files laid over the live rules) that has
 * compiled, passed its examples and been replayed over a period of history; it is recorded with
 * its author, the version it was based on and its impact. Another named person may approve it
 * while the live version is still its base: its files are then written into the rules directory
 * and go live through the engine's own reload, kept as made live by both people. Every step is
 * an append-only event.
 */
@Component
class Proposals {

    private static final Logger LOG = LoggerFactory.getLogger(Proposals.class);
    private static final long LOCK = 96560256;

    record Event(String event, String actor, String reason, Instant at) {
    }

    record Proposal(UUID id, String author, String note, String baseVersion, String candidateVersion,
                    Map<String, String> files, Object impact, Instant createdAt, String status, List<Event> events) {
    }

    /** The proposal may not take this step: {@code status} is the HTTP status that says why. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final ImpactAnalysis impact;
    private final PolicyEngine engine;
    private final RulesetKeeping keeping;

    Proposals(JdbcClient jdbc, PlatformTransactionManager transactions, ObjectMapper json, ImpactAnalysis impact,
              PolicyEngine engine, RulesetKeeping keeping) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.json = json;
        this.impact = impact;
        this.engine = engine;
        this.keeping = keeping;
    }

    /** Compiles, checks and replays the candidate, then records it; {@code RulesetRejected} when it does not compile or its examples fail. */
    Proposal propose(String author, String note, Map<String, String> files, String since, String from, String to)
            throws IOException, SQLException {
        if (note == null || note.isBlank()) {
            throw new Refused(400, "a proposal needs a note saying why");
        }
        if (files == null || files.isEmpty()) {
            throw new Refused(400, "a proposal needs files: {\"files\": {\"<path in the rules directory>\": \"<content>\"}}");
        }
        ImpactReport report = impact.run(since == null && from == null ? "30d" : since, from, to, files);
        UUID id = UUID.randomUUID();
        transaction.executeWithoutResult(status -> {
            jdbc.sql("""
                            INSERT INTO policy_proposal (proposal_id, author, note, base_version, candidate_version, files, impact)
                            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)""")
                    .params(id, author, note.strip(), report.liveVersion(), report.candidateVersion(), write(files),
                            write(report)).update();
            event(id, "proposed", author, null);
        });
        LOG.info("Policy proposal {} by {}: ruleset {} over {}", id, author, report.candidateVersion(), report.liveVersion());
        return find(id).orElseThrow();
    }

    /**
     * Approves and puts live. Refused to the author (403), for a proposal no longer open, and for one
     * whose base is no longer the live version (409: propose it again over the live rules).
     */
    Proposal approve(UUID id, String approver) {
        synchronized (engine) {
            Proposal p = decided(id, approver, "approved", null);
            return find(p.id()).orElseThrow();
        }
    }

    Proposal reject(UUID id, String actor, String reason) {
        return decided(id, actor, "rejected", reason);
    }

    Proposal withdraw(UUID id, String actor, String reason) {
        return decided(id, actor, "withdrawn", reason);
    }

    private Proposal decided(UUID id, String actor, String event, String reason) {
        if (!event.equals("approved") && (reason == null || reason.isBlank())) {
            throw new Refused(400, "say why: {\"reason\": \"...\"}");
        }
        Proposal proposal = transaction.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK).query((rs, n) -> n).list();
            Proposal p = find(id).orElseThrow(() -> new Refused(404, "no proposal " + id));
            if (!p.status().equals("open")) {
                throw new Refused(409, "proposal " + id + " is " + p.status() + ", no longer open");
            }
            if (event.equals("approved") && p.author().equals(actor)) {
                throw new Refused(403, "proposal " + id + " was proposed by " + actor
                        + "; another person must approve it (four eyes)");
            }
            if (event.equals("withdrawn") && !p.author().equals(actor)) {
                throw new Refused(403, "only its author (" + p.author() + ") may withdraw proposal " + id + "; reject it instead");
            }
            if (event.equals("approved") && !p.baseVersion().equals(engine.ruleset().version())) {
                throw new Refused(409, "proposal " + id + " is stale: it was based on ruleset " + p.baseVersion()
                        + ", and " + engine.ruleset().version() + " is live now; propose the change again over it");
            }
            event(id, event, actor, reason == null ? null : reason.strip());
            return p;
        });
        LOG.info("Policy proposal {} {} by {}", id, event, actor);
        if (event.equals("approved")) {
            goLive(proposal, actor);
        }
        return find(id).orElseThrow();
    }

    /** Writes the approved files into the rules directory and reloads, as any change goes live. */
    private void goLive(Proposal p, String approver) {
        keeping.expect(p.candidateVersion(), RulesetArchive.Provenance.approved(p.id(), p.author(), approver));
        try {
            RulesWriter.write(engine.rulesDir(), p.files());
            engine.reload();
        } catch (IOException e) {
            keeping.forget(p.candidateVersion());
            throw new Refused(500, "the approved files could not be written into the rules directory: " + e.getMessage());
        }
        String live = engine.ruleset().version();
        if (live.equals(p.candidateVersion())) {
            event(p.id(), "live", approver, null);
        } else {
            keeping.forget(p.candidateVersion());
            LOG.error("Approved proposal {} wrote ruleset {}, but {} is live: {}", p.id(), p.candidateVersion(), live,
                    engine.lastRejected());
        }
    }

    List<Proposal> list() {
        return jdbc.sql("SELECT proposal_id FROM policy_proposal ORDER BY created_at DESC LIMIT 200").query(UUID.class)
                .list().stream().map(id -> find(id).orElseThrow()).toList();
    }

    Optional<Proposal> find(UUID id) {
        List<Event> events = jdbc.sql("SELECT event, actor, reason, at FROM policy_proposal_event WHERE proposal_id = ? ORDER BY seq")
                .param(id).query((rs, n) -> new Event(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant())).list();
        return jdbc.sql("""
                        SELECT author, note, base_version, candidate_version, files::text, impact::text, created_at
                        FROM policy_proposal WHERE proposal_id = ?""").param(id)
                .query((rs, n) -> new Proposal(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        read(rs.getString(5), Map.class), read(rs.getString(6), Object.class),
                        rs.getTimestamp(7).toInstant(), status(events), events))
                .optional();
    }

    private static String status(List<Event> events) {
        String status = "open";
        for (Event e : events) {
            if (!e.event().equals("proposed")) {
                status = e.event();
            }
        }
        return status;
    }

    private void event(UUID id, String event, String actor, String reason) {
        jdbc.sql("INSERT INTO policy_proposal_event (proposal_id, event, actor, reason) VALUES (?, ?, ?, ?)")
                .params(id, event, actor, reason).update();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T read(String text, Class<?> type) {
        try {
            return text == null ? null : (T) json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
