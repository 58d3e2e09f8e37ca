package org.scimgate.edge;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * The first thing a request meets in Tomcat. It stamps the request's read deadline (its first
 * byte plus {@code scimgate.edge.read-timeout}), for {@link ReadDeadline} to hold body reads to,
 * and answers 408 at once to a request whose headers alone took longer. {@code TRACE} is refused
 * here, whatever the path, with the audience's error body (the connector lets it through for that). Once answered, a request
 * whose body was not read to the end (a caller refused before its body, a body over the limit, a
 * read cut off) has its connection closed: Tomcat would otherwise keep the worker reading and
 * discarding the rest, as slowly as the caller cares to send it.
 */
final class EdgeValve extends ValveBase {

    static final String DEADLINE = EdgeValve.class.getName() + ".deadline";

    private final long readTimeoutNanos;

    EdgeValve(Duration readTimeout) {
        super(true);
        this.readTimeoutNanos = readTimeout.toNanos();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        long started = request.getCoyoteRequest().getStartTimeNanos();
        long deadline = (started > 0 ? started : System.nanoTime()) + readTimeoutNanos;
        if ("TRACE".equals(request.getMethod())) {
            // Tomcat would refuse it with an empty 400; here it gets the audience's error body.
            response.setHeader("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
            answer(request, response, 405);
            return;
        }
        if (System.nanoTime() - deadline > 0) {
            answer(request, response, 408);
            return;
        }
        request.setAttribute(DEADLINE, deadline);
        try {
            getNext().invoke(request, response);
        } finally {
            if (!request.isAsync() && !bodyRead(request)) {
                closeWithoutDraining(request);
            }
        }
    }

    /** Answers {@code status} with the audience's error body, and closes the connection after it. */
    private static void answer(Request request, Response response, int status) throws IOException {
        closeWithoutDraining(request);
        EdgeErrors.Body body = EdgeErrors.of(request.getCoyoteRequest().requestURI().toString(), status);
        response.setStatus(status);
        response.setContentType(body.contentType());
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(body.json());
        response.finishResponse();
    }

    private static boolean bodyRead(Request request) {
        AtomicBoolean read = new AtomicBoolean(true);
        request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, read);
        return read.get();
    }

    /** Tomcat answers, then closes the connection without reading what is left of the body. */
    private static void closeWithoutDraining(Request request) {
        request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
    }
}
