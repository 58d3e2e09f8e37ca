package org.scimgate.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * One kept ruleset row as it is hashed: {@code row_hash = sha256(prev_hash || canonical)}, where the
 * canonical form lists every field length-prefixed (no value can pass for another) and the files
 * by path and content hash. Computed in Java, on insert and on verification alike.
 */
record RulesetLink(String version, String kind, RulesetArchive.Provenance provenance, Instant liveFrom,
                   Map<String, String> files) {

    byte[] canonical() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, "ruleset-v1");
        field(out, version);
        field(out, kind);
        field(out, provenance.cause());
        field(out, provenance.author());
        field(out, provenance.approver());
        UUID proposal = provenance.proposalId();
        field(out, proposal == null ? null : proposal.toString());
        field(out, Long.toString(liveFrom.getEpochSecond() * 1_000_000L + liveFrom.getNano() / 1000));
        field(out, Integer.toString(files.size()));
        new java.util.TreeMap<>(files).forEach((path, sha) -> {
            field(out, path);
            field(out, sha);
        });
        return out.toByteArray();
    }

    byte[] hash(byte[] prev) {
        MessageDigest sha = digest();
        sha.update(prev);
        return sha.digest(canonical());
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes("-\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.write('\n');
    }

    static byte[] sha256(byte[] content) {
        return digest().digest(content);
    }

    /**
     * The version a ruleset's files hash to, as the policy computes it when it loads them: SHA-256
     * over each deciding file (every file but the {@code examples.yaml} ones) in path order, name and
     * content each followed by a zero byte, the first 16 hex digits. Decisions in the audit chain
     * carry this version, so a deciding file changed even together with every hash kept beside it
     * no longer matches the decisions it made.
     */
    static String versionOf(Map<String, byte[]> files) {
        MessageDigest sha = digest();
        new java.util.TreeMap<>(files).forEach((name, content) -> {
            if (name.equals("examples.yaml") || name.endsWith("/examples.yaml")) {
                return;
            }
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(content);
            sha.update((byte) 0);
        });
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
