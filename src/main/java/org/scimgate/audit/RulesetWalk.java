package org.scimgate.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Verifies the kept rulesets, in the verification's snapshot: every row's link, every stored
 * file's content against the hash it is kept under, and every version against the hash of its
 * stored files. Collects every problem rather than the first.
 */
final class RulesetWalk {

    /** The outcome: rows and files read, and every problem found (at most {@link ChainWalk#MAX_LISTED}). */
    record Result(long versionsChecked, long filesChecked, List<String> problems) {
    }

    private RulesetWalk() {
    }

    static Result verify(JdbcClient jdbc) {
        List<String> problems = new ArrayList<>();
        Map<String, byte[]> contents = new HashMap<>();
        long[] files = {0};
        jdbc.sql("SELECT sha256, content FROM kept_ruleset_file").query(rs -> {
            files[0]++;
            String key = HexFormat.of().formatHex(rs.getBytes(1));
            byte[] content = rs.getBytes(2);
            contents.put(key, content);
            if (!Arrays.equals(RulesetLink.sha256(content), rs.getBytes(1))) {
                add(problems, "stored ruleset file " + key.substring(0, 16) + "… was changed after it was kept: its "
                        + "content no longer has the hash it is kept under");
            }
        });
        ObjectMapper json = new ObjectMapper();
        long[] versions = {0};
        byte[][] previous = {AuditChain.GENESIS};
        jdbc.sql("""
                        SELECT seq, version, kind, cause, author, approver, proposal_id, live_from, files::text,
                               prev_hash, row_hash FROM kept_ruleset ORDER BY seq""")
                .query(rs -> {
                    versions[0]++;
                    long seq = rs.getLong(1);
                    String version = rs.getString(2);
                    String where = "kept ruleset " + version + " (row " + seq + ")";
                    Map<String, String> manifest = new TreeMap<>();
                    try {
                        for (var entry : json.readTree(rs.getString(9))) {
                            manifest.put(entry.path("path").asText(), entry.path("sha256").asText());
                        }
                    } catch (Exception e) {
                        add(problems, where + ": its file list is not readable");
                    }
                    String proposal = rs.getString(7);
                    RulesetArchive.Provenance provenance;
                    try {
                        provenance = new RulesetArchive.Provenance(rs.getString(4), rs.getString(5), rs.getString(6),
                                proposal == null ? null : UUID.fromString(proposal));
                    } catch (IllegalArgumentException e) {
                        add(problems, where + ": its provenance is not valid (" + e.getMessage() + ")");
                        provenance = null;
                    }
                    byte[] prev = rs.getBytes(10);
                    byte[] hash = rs.getBytes(11);
                    if (!Arrays.equals(prev, previous[0])) {
                        add(problems, where + ": prev_hash does not match the hash of the row before it (a row was "
                                + "removed or reordered)");
                    }
                    Timestamp at = rs.getTimestamp(8);
                    if (provenance != null && !Arrays.equals(new RulesetLink(version, rs.getString(3), provenance,
                            at.toInstant(), manifest).hash(prev), hash)) {
                        add(problems, where + " was changed after it was kept (version, provenance, time or file list)");
                    }
                    Map<String, byte[]> stored = new TreeMap<>();
                    manifest.forEach((path, sha) -> {
                        byte[] content = contents.get(sha);
                        if (content == null) {
                            add(problems, where + ": its file " + path + " is gone from the store");
                        } else {
                            stored.put(path, content);
                        }
                    });
                    if (stored.size() == manifest.size() && !RulesetLink.versionOf(stored).equals(version)) {
                        add(problems, where + ": its stored files hash to " + RulesetLink.versionOf(stored)
                                + ", not to the version it made decisions as");
                    }
                    previous[0] = hash;
                });
        return new Result(versions[0], files[0], List.copyOf(problems));
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < ChainWalk.MAX_LISTED) {
            problems.add(problem);
        }
    }
}
