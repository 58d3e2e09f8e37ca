package org.scimgate.edge;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report, as JSON: what Tomcat refuses itself, before any filter or controller
 * (headers over the size limit, an encoded slash or NUL in the path, {@code TRACE}), and any
 * error no one else wrote a body for, gets its audience's error body ({@link EdgeErrors}), never
 * Tomcat's HTML page. Installed as the host's error report valve.
 */
public final class JsonErrorReport extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String path = request.getCoyoteRequest() == null ? null : request.getCoyoteRequest().requestURI().toString();
        EdgeErrors.Body body = EdgeErrors.of(path, status);
        try {
            response.setContentType(body.contentType());
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body.json());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response was taken: nothing more to tell the caller
        }
    }
}
