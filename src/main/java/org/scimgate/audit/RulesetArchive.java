package org.scimgate.audit;

import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every ruleset that went live, kept with its files: each distinct file content once (keyed by its
 * SHA-256), and one row each time a version went live, naming what made it live. The rows are
 * chained by hash ({@link RulesetLink}); {@link AuditChain#verify()} recomputes the chain, every
 * file's hash and every version's hash from the stored files, so a file or row changed afterwards,
 * even by the database's owner, is reported.
 */
@Component
public class RulesetArchive {

    private static final Logger LOG = LoggerFactory.getLogger(RulesetArchive.class);
    private static final long LOCK = 96560255;

    /**
     * What made a ruleset live: {@code start-up}, {@code files} (a change on disk) or
     * {@code proposal} (an approved proposal, with its author and approver).
     */
    public record Provenance(String cause, String author, String approver, UUID proposalId) {
        public Provenance {
            if (!List.of("start-up", "files", "proposal").contains(cause)) {
                throw new IllegalArgumentException("cause must be start-up, files or proposal: " + cause);
            }
            if (cause.equals("proposal") && (author == null || approver == null || proposalId == null)) {
                throw new IllegalArgumentException("an approved proposal names its author, approver and id");
            }
        }

        public static Provenance startUp() {
            return new Provenance("start-up", null, null, null);
        }

        public static Provenance filesChanged() {
            return new Provenance("files", null, null, null);
        }

        public static Provenance approved(UUID proposalId, String author, String approver) {
            return new Provenance("proposal", author, approver, proposalId);
        }
    }

    /** One time a version went live; {@code liveUntil} null while it is still live. */
    public record KeptVersion(long seq, String version, String kind, Provenance provenance, Instant liveFrom,
                              Instant liveUntil, Map<String, String> files) {
    }

    /** A kept version with its files' contents, by relative path. */
    public record KeptRuleset(KeptVersion version, Map<String, byte[]> files) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final Clock clock;

    RulesetArchive(JdbcClient jdbc, PlatformTransactionManager transactions, ObjectMapper json) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    /**
     * Keeps a ruleset of {@code kind} ({@code live} or {@code shadow}) that went live now, unless
     * the newest kept one of that kind already is this version (a restart, another instance);
     * returns whether a row was added.
     */
    public boolean keep(String version, String kind, Map<String, byte[]> files, Provenance provenance) {
        if (!kind.equals("live") && !kind.equals("shadow")) {
            throw new IllegalArgumentException("kind must be live or shadow: " + kind);
        }
        Boolean added = transaction.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK).query((rs, n) -> n).list();
            Optional<String> newest = jdbc.sql("SELECT version FROM kept_ruleset WHERE kind = ? ORDER BY seq DESC LIMIT 1")
                    .param(kind).query(String.class).optional();
            if (newest.isPresent() && newest.get().equals(version)) {
                return false;
            }
            Map<String, String> manifest = new TreeMap<>();
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                byte[] sha = RulesetLink.sha256(file.getValue());
                jdbc.sql("INSERT INTO kept_ruleset_file (sha256, content) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING")
                        .params(sha, file.getValue()).update();
                manifest.put(file.getKey(), HexFormat.of().formatHex(sha));
            }
            byte[] prev = jdbc.sql("SELECT row_hash FROM kept_ruleset ORDER BY seq DESC LIMIT 1").query(byte[].class)
                    .optional().orElse(AuditChain.GENESIS);
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            RulesetLink link = new RulesetLink(version, kind, provenance, at, manifest);
            jdbc.sql("""
                            INSERT INTO kept_ruleset (version, kind, cause, author, approver, proposal_id, live_from,
                                                         files, prev_hash, row_hash)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)""")
                    .params(version, kind, provenance.cause(), provenance.author(), provenance.approver(),
                            provenance.proposalId(), Timestamp.from(at), manifestJson(manifest), prev, link.hash(prev))
                    .update();
            return true;
        });
        if (Boolean.TRUE.equals(added)) {
            LOG.info("Kept {} ruleset {} ({}) with {} files", kind, version, provenance.cause(), files.size());
        }
        return Boolean.TRUE.equals(added);
    }

    /** Every time a ruleset went live, newest first. */
    public List<KeptVersion> versions() {
        return jdbc.sql(SELECT + " ORDER BY seq DESC").query((rs, n) -> row(rs)).list();
    }

    /** The newest time {@code version} went live, with its files; empty when it was never kept. */
    public Optional<KeptRuleset> ruleset(String version) {
        Optional<KeptVersion> kept = jdbc.sql("SELECT * FROM (" + SELECT + ") v WHERE version = ? ORDER BY seq DESC LIMIT 1")
                .param(version).query((rs, n) -> row(rs)).optional();
        return kept.map(v -> {
            Map<String, byte[]> contents = new LinkedHashMap<>();
            v.files().forEach((path, sha) -> contents.put(path, jdbc.sql("SELECT content FROM kept_ruleset_file WHERE sha256 = ?")
                    .param(HexFormat.of().parseHex(sha)).query(byte[].class).optional().orElse(null)));
            return new KeptRuleset(v, contents);
        });
    }

    private static final String SELECT = """
            SELECT seq, version, kind, cause, author, approver, proposal_id, live_from,
                   lead(live_from) OVER (PARTITION BY kind ORDER BY seq) AS live_until, files::text AS files
            FROM kept_ruleset""";

    private KeptVersion row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp until = rs.getTimestamp("live_until");
        String proposal = rs.getString("proposal_id");
        return new KeptVersion(rs.getLong("seq"), rs.getString("version"), rs.getString("kind"),
                new Provenance(rs.getString("cause"), rs.getString("author"), rs.getString("approver"),
                        proposal == null ? null : UUID.fromString(proposal)),
                rs.getTimestamp("live_from").toInstant(), until == null ? null : until.toInstant(),
                manifest(rs.getString("files")));
    }

    private String manifestJson(Map<String, String> manifest) {
        List<Map<String, String>> entries = new ArrayList<>();
        manifest.forEach((path, sha) -> entries.add(Map.of("path", path, "sha256", sha)));
        try {
            return json.writeValueAsString(entries);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, String> manifest(String text) {
        try {
            Map<String, String> manifest = new TreeMap<>();
            for (var entry : json.readTree(text)) {
                manifest.put(entry.path("path").asText(), entry.path("sha256").asText());
            }
            return manifest;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a kept ruleset's file list is not JSON", e);
        }
    }

    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
