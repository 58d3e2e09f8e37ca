package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records one a line (NDJSON, or CEF lines) and fsyncs before reporting success, so a forwarder (Filebeat, Vector,
 * the Splunk Universal Forwarder) can tail a file that never loses an acknowledged record.
 * <p>
 * The records hold personal data: the file is created readable by its owner only (0600, given at
 * creation, so there is no moment it is readable by others), or 0640 with {@code group} when a
 * forwarder running as another user must read it. An existing file with wider permissions is
 * narrowed. When the file does not end with a newline (a torn last line, from a crash or another
 * writer), the next record starts on a line of its own instead of being glued to it.
 */
class FileSink implements SiemSink {

    private static final Logger LOG = LoggerFactory.getLogger(FileSink.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_AND_GROUP = PosixFilePermissions.fromString("rw-r-----");

    private final Path file;
    private final GroupPrincipal group;
    private final ObjectMapper json;
    private final SiemMapping mapping;
    private boolean checked;

    FileSink(Path file, String group, ObjectMapper json) {
        this(file, group, json, new NativeMapping(json));
    }

    FileSink(Path file, String group, ObjectMapper json, SiemMapping mapping) {
        this.file = file.toAbsolutePath().normalize();
        this.group = group == null ? null : lookUp(group);
        this.json = json;
        this.mapping = mapping;
    }

    private GroupPrincipal lookUp(String name) {
        try {
            return file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("scimgate.siem.file-group: there is no group named '" + name
                    + "' on this system (" + e.getMessage() + "); name an existing group or leave it unset", e);
        }
    }

    @Override
    public synchronized void deliver(List<? extends SiemEvent> records) throws SiemDeliveryFailed {
        try {
            if (!checked || !Files.exists(file)) { // first use, or rotated away
                prepare();
                checked = true;
            }
            StringBuilder lines = new StringBuilder();
            if (tornLastLine()) {
                LOG.warn("The SIEM file {} did not end with a newline; the next record starts on a new line", file);
                lines.append('\n');
            }
            for (SiemEvent record : records) {
                lines.append(mapping.text(record, json)).append('\n');
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new SiemDeliveryFailed("could not append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates the directory and the file with their final permissions, or narrows an existing file's. */
    private void prepare() throws IOException {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!posix) {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            return;
        }
        Set<PosixFilePermission> wanted = group == null ? OWNER_ONLY : OWNER_AND_GROUP;
        if (!Files.isDirectory(file.getParent())) {
            Files.createDirectories(file.getParent(), attribute(group == null ? "rwx------" : "rwxr-x---"));
        }
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // created meanwhile: narrowed below like any existing file
            }
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (group != null && !group.equals(view.readAttributes().group())) {
            view.setGroup(group);
        }
        Set<PosixFilePermission> actual = view.readAttributes().permissions();
        if (!actual.equals(wanted)) {
            if (!wanted.containsAll(actual)) {
                LOG.warn("The SIEM file {} was {}; narrowing it to {}", file, PosixFilePermissions.toString(actual),
                        PosixFilePermissions.toString(wanted));
            }
            view.setPermissions(wanted);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(String permissions) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
    }

    private boolean tornLastLine() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public String destination() {
        return file.toString();
    }
}
