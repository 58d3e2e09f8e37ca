package org.scimgate.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled rulesets kept in a directory so that a start does not compile unchanged rules again.
 * An entry is named after the SHA-256 of everything the compiler reads (every rule file and the
 * reference data, names and bytes) and of the compiler itself (this build of the service and its
 * Drools), so a changed rule file is a different name: a miss, never a stale ruleset. Each entry
 * carries an HMAC-SHA256, keyed by a secret generated in the directory (0600), over its name and
 * content: an entry changed, or renamed to another content's name, by anyone without the key is
 * refused, deleted and the rules compiled again. What an entry passes is still checked again
 * before use ({@link RulesetCompiler}): the capability check runs on its class files, exactly those
 * bytes, before any of them is loaded.
 */
final class CompiledRulesetCache {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledRulesetCache.class);
    private static final String FORMAT = "scimgate-compiled-ruleset-1";
    private static final String SUFFIX = ".kjar";
    private static final int MAC_LENGTH = 32;
    /** Entries kept: the live ruleset's, and a few recent ones a rollback may go back to. */
    private static final int KEPT = 4;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path dir;
    private final String compilerIdentity;

    CompiledRulesetCache(Path dir) {
        this(dir, compilerIdentity());
    }

    CompiledRulesetCache(Path dir, String compilerIdentity) {
        this.dir = dir.toAbsolutePath().normalize();
        this.compilerIdentity = compilerIdentity;
    }

    Path directory() {
        return dir;
    }

    /** The entry name for these rule files: the SHA-256 of the compiler's identity and every file, name and bytes. */
    String keyOf(Map<String, byte[]> files) {
        MessageDigest sha = sha256();
        update(sha, FORMAT);
        update(sha, compilerIdentity);
        files.keySet().stream().sorted().forEach(name -> {
            update(sha, name);
            byte[] bytes = files.get(name);
            update(sha, Integer.toString(bytes.length));
            sha.update(bytes);
        });
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The compiled module kept under this key, or null: none, unreadable, or refused as tampered (then deleted). */
    byte[] read(String key) {
        Path entry = entry(key);
        byte[] stored;
        try {
            stored = Files.readAllBytes(entry);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("Could not read the compiled ruleset {}: {}; compiling the rules", entry, e.toString());
            return null;
        }
        try {
            if (stored.length > MAC_LENGTH) {
                byte[] module = Arrays.copyOfRange(stored, MAC_LENGTH, stored.length);
                if (MessageDigest.isEqual(Arrays.copyOf(stored, MAC_LENGTH), mac(key, module))) {
                    return module;
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            LOG.warn("Could not check the compiled ruleset {}: {}; compiling the rules", entry, e.toString());
            return null;
        }
        LOG.warn("Refused the compiled ruleset {}: its content does not match its seal (changed or copied from "
                + "elsewhere); deleting it and compiling the rules", entry);
        discard(key);
        return null;
    }

    /** Keeps a compiled module under this key (atomically, owner-only), and drops all but the newest entries. */
    void write(String key, byte[] module) {
        try {
            Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir, OWNER_ONLY_DIR);
            }
            byte[] mac = mac(key, module);
            Path temp = dir.resolve("." + key + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp,
                        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY)) {
                    channel.write(ByteBuffer.wrap(mac));
                    channel.write(ByteBuffer.wrap(module));
                    channel.force(true);
                }
                try {
                    Files.move(temp, entry(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, entry(key), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            prune();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("Could not keep the compiled ruleset in {}: {}; the next start compiles the rules again", dir,
                    e.toString());
        }
    }

    /** Deletes the entry under this key, if any. */
    void discard(String key) {
        try {
            Files.deleteIfExists(entry(key));
        } catch (IOException e) {
            LOG.warn("Could not delete the compiled ruleset {}: {}", entry(key), e.toString());
        }
    }

    Path entry(String key) {
        if (!key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a compiled ruleset key: " + key);
        }
        return dir.resolve(key + SUFFIX);
    }

    private void prune() throws IOException {
        List<Path> entries;
        try (Stream<Path> files = Files.list(dir)) {
            entries = files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparing(CompiledRulesetCache::modified).reversed()).toList();
        }
        for (Path old : entries.subList(Math.min(KEPT, entries.size()), entries.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private byte[] mac(String key, byte[] module) throws IOException, GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(secret(), "HmacSHA256"));
        hmac.update(key.getBytes(StandardCharsets.US_ASCII));
        hmac.update((byte) 0);
        hmac.update(module);
        return hmac.doFinal();
    }

    /** The sealing key, 32 random bytes generated with the directory and readable by its owner only. */
    private byte[] secret() throws IOException {
        Path file = dir.resolve("seal.key");
        if (!Files.exists(file)) {
            Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir, OWNER_ONLY_DIR);
            }
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            Path temp = dir.resolve(".seal.key." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp,
                        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY)) {
                    channel.write(ByteBuffer.wrap(HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII)));
                    channel.force(true);
                }
                // Two starts at once: the first key written wins, and both use it.
                Files.move(temp, file);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // the other one's key stands
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IOException(file + " must hold 64 hex digits");
        }
        return HexFormat.of().parseHex(hex);
    }

    /**
     * This build of the compiler: the service's and Drools' versions, and each entry of the class
     * path (the packaged service, its libraries) by name, size and modification time; a directory
     * of classes (a build's target/classes) by each file below it, so a rebuilt class is a new
     * identity too. A new build is a new identity, so nothing another build compiled is used.
     */
    static String compilerIdentity() {
        return compilerIdentity(System.getProperty("java.class.path", ""));
    }

    static String compilerIdentity(String classPath) {
        StringBuilder id = new StringBuilder()
                .append(RulesetCompiler.class.getPackage().getImplementationVersion()).append('|')
                .append(org.kie.api.KieServices.class.getPackage().getImplementationVersion()).append('|');
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            try {
                if (Files.isRegularFile(path)) {
                    id.append(path).append(':').append(Files.size(path)).append(':')
                            .append(Files.getLastModifiedTime(path).toMillis()).append('|');
                } else if (Files.isDirectory(path)) {
                    id.append(path).append(':').append(contentOf(path)).append('|');
                } else {
                    id.append(path).append('|');
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                id.append(path).append(":?|");
            }
        }
        return id.toString();
    }

    /** The files below a class-path directory, each by name, size and modification time, as one digest. */
    private static String contentOf(Path directory) throws IOException {
        MessageDigest sha = sha256();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                update(sha, directory.relativize(file).toString());
                update(sha, Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }
}
