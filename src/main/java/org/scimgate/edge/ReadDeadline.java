package org.scimgate.edge;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds every body read to the request's deadline ({@link EdgeValve#DEADLINE}): a read that starts
 * after it fails, and the request is answered 408 and its connection closed. Each read waits at
 * most Tomcat's connection timeout for the next bytes, so a body that dribbles in is cut off
 * within one read timeout of the deadline, and one that stops, at the first timeout.
 */
final class ReadDeadline extends HttpFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ReadDeadline.class);

    /** The body did not arrive by the request's deadline. */
    static final class Passed extends IOException {
        Passed() {
            super("the request body did not arrive by its deadline");
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request.getAttribute(EdgeValve.DEADLINE) instanceof Long deadline)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(new Deadlined(request, deadline), response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!causedByDeadline(e)) {
                throw e;
            }
            LOG.info("A request to {} was cut off: its body did not arrive within the read timeout",
                    request.getRequestURI());
            if (!response.isCommitted()) {
                response.resetBuffer();
                EdgeErrors.Body body = EdgeErrors.of(request.getRequestURI(), 408);
                response.setStatus(408);
                response.setContentType(body.contentType());
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                response.getWriter().write(body.json());
            }
        }
    }

    private static boolean causedByDeadline(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Passed) {
                return true;
            }
        }
        return false;
    }

    /** The request with its body held to the deadline. */
    private static final class Deadlined extends HttpServletRequestWrapper {

        private final long deadline;
        private ServletInputStream in;

        Deadlined(HttpServletRequest request, long deadline) {
            super(request);
            this.deadline = deadline;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new Stream(super.getInputStream(), deadline);
            }
            return in;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class Stream extends ServletInputStream {

        private final ServletInputStream in;
        private final long deadline;

        Stream(ServletInputStream in, long deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        private void check() throws Passed {
            if (System.nanoTime() - deadline > 0 && !in.isFinished()) {
                throw new Passed();
            }
        }

        @Override
        public int read() throws IOException {
            check();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
