package org.scimgate.gateway;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body of at most {@code limit} bytes, and only when asked: the controller asks once
 * the caller is authenticated, so an unauthenticated body is never buffered. A larger body stops
 * being read at {@code limit + 1} bytes (at once when its Content-Length says so).
 */
final class BoundedBody {

    private BoundedBody() {
    }

    /** The body, or null when it is longer than {@code limit}. */
    static byte[] read(HttpServletRequest request, long limit) throws IOException {
        if (request.getContentLengthLong() > limit) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            return bytes.length > limit ? null : bytes;
        }
    }
}
