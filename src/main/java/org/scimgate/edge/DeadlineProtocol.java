package org.scimgate.edge;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Constants;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's NIO connector with a deadline on request headers. Tomcat's own timeout is per read: a
 * client sending a header byte every few seconds keeps its connection forever, and enough of them
 * fill the connector's connections. Once a second this closes every connection whose request
 * began longer than the read timeout ago and whose headers are still not complete. (Waiting for
 * headers holds no worker thread; a body is held to the deadline by {@link ReadDeadline}.)
 */
public class DeadlineProtocol extends Http11NioProtocol {

    private volatile long readTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
    private ScheduledExecutorService sweeper;

    void readTimeoutMillis(long millis) {
        this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Override
    public void start() throws Exception {
        super.start();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "scimgate-header-deadline");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::closeLateHeaders, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws Exception {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        super.stop();
    }

    private void closeLateHeaders() {
        long now = System.nanoTime();
        try {
            for (SocketWrapperBase<NioChannel> connection : getEndpoint().getConnections()) {
                if (connection.getCurrentProcessor() instanceof AbstractProcessor processor
                        && stillReadingHeaders(processor.getRequest())
                        && now - processor.getRequest().getStartTimeNanos() > readTimeoutNanos) {
                    getEndpoint().processSocket(connection, SocketEvent.ERROR, true);
                }
            }
        } catch (RuntimeException e) {
            // a connection closing under our feet: the next sweep sees the rest
        }
    }

    /**
     * A request has begun (its first byte set its start) and is not with the application: Tomcat
     * marks a request's stage only once its request line is parsed, so a processor still reading
     * headers shows the stage its last request ended in.
     */
    private static boolean stillReadingHeaders(Request request) {
        int stage = request.getRequestProcessor().getStage();
        return request.getStartTimeNanos() > 0 && stage != Constants.STAGE_PREPARE && stage != Constants.STAGE_SERVICE
                && stage != Constants.STAGE_ENDINPUT && stage != Constants.STAGE_ENDOUTPUT;
    }
}
