package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syslog over TLS (or TCP): RFC 5424 messages framed by octet counting ({@link SyslogMessage}) on one
 * long-lived connection. Syslog has no application acknowledgement: a batch counts as delivered
 * once it is written and flushed, which means the bytes are in this machine's socket buffer, not
 * that the receiver has them. To close most of that gap, the sink keeps the last {@code replay}
 * messages it wrote; when it finds the connection broken (the receiver closed or reset it), it
 * sends them again on the new connection before anything else: what a receiver that went down had
 * not read yet arrives after all, at the price of duplicates with the same event id (counted in
 * {@link #replayed()}). A batch whose write fails is not kept: the outbox sends it again itself.
 * A write that does not finish within {@code timeout} (a receiver that stopped reading) closes the connection.
 */
class SyslogSink implements SiemSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyslogSink.class);
    static final int DEFAULT_REPLAY = 1000;

    private final SyslogConnection connection;
    private final SiemMapping mapping;
    private final ObjectMapper json;
    private final int replay;
    private final long timeoutMillis;
    private final Deque<byte[]> written = new ArrayDeque<>();
    private final AtomicLong replayed = new AtomicLong();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "syslog-write-deadline");
        t.setDaemon(true);
        return t;
    });
    private Socket socket;
    private boolean broken;

    SyslogSink(SyslogConnection connection, SiemMapping mapping, ObjectMapper json) {
        this(connection, mapping, json, DEFAULT_REPLAY, 10_000);
    }

    SyslogSink(SyslogConnection connection, SiemMapping mapping, ObjectMapper json, int replay, long timeoutMillis) {
        this.connection = connection;
        this.mapping = mapping;
        this.json = json;
        this.replay = replay;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public synchronized void deliver(List<? extends SiemEvent> records) throws SiemDeliveryFailed {
        List<byte[]> frames = new ArrayList<>(records.size());
        for (SiemEvent record : records) {
            frames.add(SyslogMessage.frame(record, mapping.text(record, json)));
        }
        try {
            if (socket != null && closedByReceiver()) {
                LOG.warn("The syslog receiver {} closed the connection; reconnecting", connection.describe());
                disconnect(true);
            }
            if (socket == null) {
                socket = connection.open();
                if (broken) {
                    List<byte[]> again = List.copyOf(written);
                    write(again);
                    replayed.addAndGet(again.size());
                    LOG.info("Sent the last {} syslog messages again after the connection to {} broke; the receiver "
                            + "deduplicates them on their event id", again.size(), connection.describe());
                    broken = false;
                }
            }
            write(frames);
        } catch (IOException e) {
            disconnect(true);
            throw new SiemDeliveryFailed("could not write to the syslog receiver " + connection.describe() + ": " + e, e);
        }
        for (byte[] frame : frames) {
            written.addLast(frame);
            if (written.size() > replay) {
                written.removeFirst();
            }
        }
    }

    /** Messages sent a second time after a broken connection. */
    long replayed() {
        return replayed.get();
    }

    private void write(List<byte[]> frames) throws IOException {
        Socket target = socket;
        ScheduledFuture<?> deadline = watchdog.schedule(() -> quietlyClose(target), timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            OutputStream out = target.getOutputStream();
            for (byte[] frame : frames) {
                out.write(frame);
            }
            out.flush();
        } finally {
            deadline.cancel(false);
        }
        if (target.isClosed()) {
            throw new IOException("the write did not finish within " + timeoutMillis + " ms");
        }
    }

    /** Whether the receiver has closed or reset the connection; it never sends anything else. */
    private boolean closedByReceiver() {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void disconnect(boolean broke) {
        broken |= broke;
        if (socket != null) {
            quietlyClose(socket);
            socket = null;
        }
    }

    private static void quietlyClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken connection
        }
    }

    @Override
    public synchronized void close() {
        disconnect(false);
        watchdog.shutdownNow();
    }

    @Override
    public String name() {
        return "syslog";
    }
}
