package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends records as NDJSON and fsyncs before reporting success, so a forwarder (Filebeat, Vector,
 * the Splunk Universal Forwarder) can tail a file that never loses an acknowledged record.
 */
class FileSink implements SiemSink {

    private final Path file;
    private final ObjectMapper json;

    FileSink(Path file, ObjectMapper json) {
        this.file = file.toAbsolutePath().normalize();
        this.json = json;
    }

    @Override
    public synchronized void deliver(List<? extends SiemEvent> records) throws SiemDeliveryFailed {
        try {
            Files.createDirectories(file.getParent());
            StringBuilder lines = new StringBuilder();
            for (SiemEvent record : records) {
                lines.append(json.writeValueAsString(record)).append('\n');
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new SiemDeliveryFailed("could not append to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "file";
    }
}
