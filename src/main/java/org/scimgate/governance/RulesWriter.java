package org.scimgate.governance;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes an approved proposal's files into the rules directory: each to a hidden temporary file
 * beside it (the rules loader ignores hidden files), synced, then moved into place atomically, so
 * no reload ever reads half a file. A null content removes the file.
 */
final class RulesWriter {

    private RulesWriter() {
    }

    static void write(Path rulesDir, Map<String, String> files) throws IOException {
        Path root = rulesDir.toAbsolutePath().normalize();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = root.resolve(file.getKey()).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new IOException("the path " + file.getKey() + " leaves the rules directory");
            }
            if (file.getValue() == null) {
                Files.deleteIfExists(target);
                continue;
            }
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.write(StandardCharsets.UTF_8.encode(file.getValue()));
                    channel.force(true);
                }
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
