package org.scimgate.security;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret kept in a file. It is written to a temporary file that is owner-only from the moment it
 * exists (the permissions are given at creation, never changed afterwards), synced, and only then
 * put in place atomically, so no other local user can ever read it and no reader sees it half-written.
 */
final class SecretFile {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private SecretFile() {
    }

    /**
     * Writes {@code secret} to {@code file} unless it exists; returns what the file holds afterwards
     * (another process's secret when it got there first).
     */
    static String create(Path file, String secret) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY)}
                    : new FileAttribute<?>[0]);
        }
        Path temporary = posix
                ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.US_ASCII.encode(secret + "\n"));
                channel.force(true);
            }
            try {
                // A hard link never replaces a file another process created meanwhile.
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                return read(file);
            } catch (UnsupportedOperationException | IOException e) {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
            return secret;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static String read(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                LOG.warn("{} is readable by other local users ({}); restrict it with: chmod 600 {}", file,
                        PosixFilePermissions.toString(permissions), file);
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
