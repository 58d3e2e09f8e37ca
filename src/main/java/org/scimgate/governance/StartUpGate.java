package org.scimgate.governance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.scimgate.audit.RulesetArchive;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.Ruleset;
import org.scimgate.policy.RulesetRejected;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * With {@code scimgate.policy.changes=proposals}, the start-up half of the gate: the ruleset
 * loaded from the rules directory may stay live only if it is the last one kept live, or the one
 * an approved proposal wrote over it that had not gone live yet (the service stopped between the
 * write and the reload), or nothing is kept yet (the first start-up: the files are the baseline).
 * Any other version is an edit no approval wrote, made while the service was down: the last kept
 * live ruleset is compiled from its stored files and put live instead, and the edit is reported as
 * a refused reload. When that cannot be done (the stored files are missing, do not hash to their
 * version, or no longer compile), the service refuses to start: it never runs unapproved rules.
 */
final class StartUpGate {

    private final RulesetArchive archive;
    private final PolicyEngine engine;
    private final JdbcClient jdbc;

    StartUpGate(RulesetArchive archive, PolicyEngine engine, JdbcClient jdbc) {
        this.archive = archive;
        this.engine = engine;
        this.jdbc = jdbc;
    }

    /** Checks the loaded ruleset; returns what made the live one live, to keep it by. */
    RulesetArchive.Provenance check() {
        String onDisk = engine.ruleset().version();
        Optional<String> lastLive = archive.versions().stream().filter(v -> v.kind().equals("live")).findFirst()
                .map(RulesetArchive.KeptVersion::version);
        if (lastLive.isEmpty() || lastLive.get().equals(onDisk)) {
            return RulesetArchive.Provenance.startUp();
        }
        Optional<RulesetArchive.Provenance> approved = approvedNotYetLive(onDisk, lastLive.get());
        if (approved.isPresent()) {
            return approved.get();
        }
        String refusal = "ruleset " + onDisk + " was written to the rules directory while the service was down, "
                + "without an approved proposal (scimgate.policy.changes=proposals); the last approved ruleset "
                + lastLive.get() + " is live instead. Propose the change with POST /api/v1/policy/proposals, "
                + "or put the files of " + lastLive.get() + " back";
        engine.refuseAtStartUp(compileKept(lastLive.get(), onDisk), refusal);
        return RulesetArchive.Provenance.startUp();
    }

    /** The approval of a proposal for {@code version} based on {@code lastLive} that never went live. */
    private Optional<RulesetArchive.Provenance> approvedNotYetLive(String version, String lastLive) {
        return jdbc.sql("""
                        SELECT p.proposal_id, p.author, a.actor
                        FROM policy_proposal p JOIN policy_proposal_event a
                             ON a.proposal_id = p.proposal_id AND a.event = 'approved'
                        WHERE p.candidate_version = ? AND p.base_version = ?
                          AND NOT EXISTS (SELECT 1 FROM policy_proposal_event l
                                          WHERE l.proposal_id = p.proposal_id AND l.event = 'live')
                        ORDER BY a.seq DESC LIMIT 1""")
                .params(version, lastLive)
                .query((rs, n) -> RulesetArchive.Provenance.approved(rs.getObject(1, java.util.UUID.class),
                        rs.getString(2), rs.getString(3)))
                .optional();
    }

    private Ruleset compileKept(String version, String onDisk) {
        RulesetArchive.KeptRuleset kept = archive.ruleset(version).orElseThrow(() -> cannot(version, onDisk,
                "it is not in the archive"));
        Path directory;
        try {
            directory = Files.createTempDirectory("kept-ruleset-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (Map.Entry<String, byte[]> file : kept.files().entrySet()) {
                if (file.getValue() == null) {
                    throw cannot(version, onDisk, "its stored file " + file.getKey() + " is missing");
                }
                Path target = directory.resolve(file.getKey()).normalize();
                if (!target.startsWith(directory)) {
                    throw cannot(version, onDisk, "its stored path " + file.getKey() + " leaves the rules directory");
                }
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            Ruleset ruleset;
            try {
                ruleset = engine.candidate(directory);
            } catch (RulesetRejected e) {
                throw cannot(version, onDisk, "its stored files no longer load: " + e.getMessage());
            }
            if (!ruleset.version().equals(version)) {
                ruleset.close();
                throw cannot(version, onDisk, "its stored files make version " + ruleset.version()
                        + " (run `scimgate audit verify`)");
            }
            return ruleset;
        } catch (IOException e) {
            throw cannot(version, onDisk, "its stored files could not be laid out: " + e.getMessage());
        } finally {
            deleteQuietly(directory);
        }
    }

    private static IllegalStateException cannot(String version, String onDisk, String why) {
        return new IllegalStateException("Refusing to start: the rules directory holds ruleset " + onDisk
                + ", which no approved proposal wrote (scimgate.policy.changes=proposals), and the last approved ruleset "
                + version + " cannot be put live instead: " + why + ". Put the approved files back in the rules "
                + "directory, or start with scimgate.policy.changes=files to accept the files on disk");
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind holds only copies of kept files
        }
    }
}
