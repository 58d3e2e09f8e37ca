package org.scimgate.impact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.scimgate.audit.DecisionIds;
import org.scimgate.audit.DecisionRecord;
import org.scimgate.audit.UnstorableDecision;
import org.scimgate.decision.AuditedPolicy;
import org.scimgate.decision.Decisions;
import org.scimgate.genesys.GenesysSettings;
import org.scimgate.genesys.GenesysUsers;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The org scan of {@code genesys scan}, run by the service on {@code scimgate.scan.schedule}: each
 * account the live rules find fault with is recorded as a decision of its own (source {@code scan},
 * outcome {@value #OUTCOME}) through the decision log, so it is sealed in the chain and reaches the
 * SIEM like every decision. One instance scans at a time (a PostgreSQL advisory lock); a second
 * instance that starts the same scheduled run in the same second records nothing twice, because
 * a finding's idempotency key is the run's second and the account.
 */
@Component
class ScheduledScan implements SchedulingConfigurer {

    static final String SOURCE = "scan";
    static final String OUTCOME = "NONCOMPLIANT_ACCOUNT";
    static final String EVENT_TYPE = "genesys.scan";
    /**
     * Session advisory lock of the scan. Advisory locks share one key space: the chain's sealer
     * takes 96560254 and the tally fold (V13) 96560255.
     */
    static final long LOCK = 96560256L;
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledScan.class);

    /** One scan: when it started, what it judged and how many findings it recorded. */
    record Run(Instant startedAt, long scanned, long violating, long recorded, long unreadable, String rulesetVersion) {
    }

    private final ScanSettings settings;
    private final PolicyEngine engine;
    private final Decisions decisions;
    private final DataSource dataSource;
    private final ObjectMapper json;
    private final GenesysUsers users;
    private final Clock clock = Clock.systemUTC();

    ScheduledScan(ScanSettings settings, GenesysSettings genesys, PolicyEngine engine, Decisions decisions,
                  DataSource dataSource, ObjectMapper json) {
        this.settings = settings;
        this.engine = engine;
        this.decisions = decisions;
        this.dataSource = dataSource;
        this.json = json;
        if (settings.enabled() && !genesys.enabled()) {
            throw new IllegalStateException("scimgate.scan.schedule is set but the scan cannot read Genesys: set "
                    + "GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (a client allowed to view users), or unset "
                    + "SCIMGATE_SCAN_SCHEDULE");
        }
        this.users = settings.enabled() ? GenesysUsers.connect(genesys, json) : null;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (settings.enabled()) {
            registrar.addCronTask(this::scheduled, settings.schedule());
            LOG.info("The org scan runs on the schedule \"{}\" and records what it finds", settings.schedule());
        }
    }

    private void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("The scheduled org scan failed; the next scheduled run tries again: {}", e.toString());
        }
    }

    /**
     * Scans the org once and records the findings; null when another instance is scanning.
     *
     * @throws org.scimgate.genesys.GenesysUnavailable when Genesys cannot be read (findings recorded so far stay)
     * @throws org.springframework.dao.DataAccessException when the audit cannot be written
     */
    Run run() {
        if (users == null) {
            throw new IllegalStateException("no scan schedule is configured");
        }
        Instant started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try (Connection lock = dataSource.getConnection()) {
            if (!advisory(lock, "SELECT pg_try_advisory_lock(?)")) {
                LOG.info("Another instance is scanning the org; this run records nothing");
                return null;
            }
            try {
                return scan(started);
            } finally {
                advisory(lock, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new org.springframework.dao.DataAccessResourceFailureException("cannot take the scan's lock", e);
        }
    }

    private Run scan(Instant started) {
        AtomicLong recorded = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        ScanReport report = OrgScan.run(users, new OrgScan.Judge() {
            @Override
            public Evaluation user(org.scimgate.scim.ScimUser user) {
                return engine.evaluateOrRefuse(user);
            }

            @Override
            public Evaluation membership(org.scimgate.scim.ScimUser user, org.scimgate.policy.Membership membership) {
                return engine.evaluateOrRefuse(user, membership);
            }
        }, engine.ruleset().version(),
                (resource, evaluation) -> {
                    if (record(started, seen.incrementAndGet(), resource, evaluation)) {
                        recorded.incrementAndGet();
                    }
                });
        LOG.info("Scheduled org scan of {}: {} users, {} violate the rules ({} recorded), {} unreadable", started,
                report.scanned(), report.violating(), recorded.get(), report.unreadable().size());
        return new Run(started, report.scanned(), report.violating(), recorded.get(), report.unreadable().size(),
                report.rulesetVersion());
    }

    /** Records one finding; false when PostgreSQL refused its content (logged) or this run recorded it already. */
    private boolean record(Instant run, long index, JsonNode resource, Evaluation evaluation) {
        AuditedPolicy policy = decisions.policy(evaluation);
        String id = text(resource, "id");
        String userName = text(resource, "userName");
        String verdict = evaluation.verdict().name();
        String detail = "found by the org scan of " + run + ": " + ("REJECTED".equals(verdict)
                ? "the rules would refuse this account today" : "the rules find fault with this account (" + verdict + ")");
        String account = id != null ? "id:" + id : userName != null ? "userName:" + userName : "index:" + index;
        DecisionRecord finding = new DecisionRecord(DecisionIds.next(), clock.instant(), SOURCE, EVENT_TYPE, run.toString(),
                null, "scan:" + run + ":" + sha256(account), id, userName, OUTCOME, 0, policy.violations(),
                policy.firedRules(), policy.rulesetVersion(), null, detail, policy.redact(resource),
                json.createObjectNode().put("scan", run.toString()).put("verdict", verdict).toString(), null, null);
        try {
            return decisions.record(finding).kind() == org.scimgate.audit.StoredDecision.Kind.NEW;
        } catch (UnstorableDecision e) {
            LOG.warn("A finding of the org scan of {} could not be stored: {}", run, e.getMessage());
            return false;
        }
    }

    private static boolean advisory(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, LOCK);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.textValue();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
