package org.scimgate.edge;

import java.time.Instant;
import java.util.Map;

/**
 * The error bodies of the edge, each in its audience's shape: the SCIM error (RFC 7644) under
 * {@code /scim/v2}, the webhook's error body under {@code /webhook}, a {@code ProblemDetail}
 * (RFC 9457) elsewhere. JSON built by hand from fixed texts: never an HTML page, a stack trace or
 * anything the caller sent.
 */
final class EdgeErrors {

    private EdgeErrors() {
    }

    /** A body and its content type. */
    record Body(String contentType, String json) {
    }

    private static final Map<Integer, String> CODES = Map.of(400, "BAD_REQUEST", 404, "NOT_FOUND",
            405, "METHOD_NOT_ALLOWED", 408, "REQUEST_TIMEOUT", 413, "PAYLOAD_TOO_LARGE", 414, "URI_TOO_LONG",
            431, "HEADERS_TOO_LARGE", 500, "INTERNAL_ERROR", 501, "NOT_IMPLEMENTED", 503, "UNAVAILABLE");

    static Body of(String rawPath, int status) {
        String detail = detail(status);
        String path = rawPath == null ? "" : rawPath;
        if (path.startsWith("/scim/v2/") || path.equals("/scim/v2")) {
            return new Body("application/scim+json", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],"
                    + "\"status\":\"" + status + "\",\"detail\":\"" + detail + "\"}");
        }
        if (path.startsWith("/webhook/") || path.equals("/webhook")) {
            return new Body("application/json", "{\"status\":\"MALFORMED\",\"errorCode\":\""
                    + CODES.getOrDefault(status, "HTTP_" + status) + "\",\"detail\":\"" + detail + "\",\"timestamp\":\""
                    + Instant.now() + "\"}");
        }
        return new Body("application/problem+json", "{\"type\":\"about:blank\",\"title\":\"" + title(status)
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "the request was refused before it reached the service: a malformed request line or header, "
                    + "headers over the size limit, or a path holding an encoded slash, backslash or NUL";
            case 405 -> "this method is not allowed here (TRACE never is)";
            case 408 -> "the request was not received in time; the connection is closed";
            case 413 -> "the request is larger than this service accepts";
            case 414 -> "the request line is longer than this service accepts";
            case 431 -> "the request's headers are larger than this service accepts";
            case 501 -> "this method is not implemented";
            case 503 -> "the service cannot answer now; retry later";
            default -> status >= 500 ? "the service failed to answer this request" : "the request was refused";
        };
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Client Error";
        };
    }
}
