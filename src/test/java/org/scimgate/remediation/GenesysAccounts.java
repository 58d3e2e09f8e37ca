package org.scimgate.remediation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Request;
import org.scimgate.support.LoopbackServer.Response;

/**
 * Genesys Cloud on loopback for remediation tests: a token endpoint, the org's users (listed for the
 * scan, each active until a PATCH switches it off) and {@code PATCH /api/v2/scim/v2/users/{id}}.
 * A test makes it unreachable, answer 503 or 429, or forget a user (404).
 */
final class GenesysAccounts implements AutoCloseable {

    static final String USERS = "/api/v2/scim/v2/users";
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Mode { UP, UNREACHABLE, UNAVAILABLE, RATE_LIMITED, FORBIDDEN }

    private final LoopbackServer server;
    private final Map<String, ObjectNode> accounts = new ConcurrentHashMap<>();
    /** PATCHes answered 2xx: the account really was switched off by each. */
    private final List<String> deactivated = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.UP;
    private volatile long patchDelayMillis;

    GenesysAccounts() throws Exception {
        server = new LoopbackServer();
        server.respond(this::answer);
    }

    String uri() {
        return server.uri().toString();
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    void slowPatches(long millis) {
        this.patchDelayMillis = millis;
    }

    /** An account the org holds, active. */
    void holds(String id, String userName) {
        ObjectNode user = JSON.createObjectNode().put("id", id).put("userName", userName).put("active", true);
        user.putArray("emails").addObject().put("value", userName).put("primary", true).put("type", "work");
        accounts.put(id, user);
    }

    /** Switches an account off as an administrator would, without a PATCH. */
    void deactivate(String id) {
        accounts.get(id).put("active", false);
    }

    boolean active(String id) {
        return accounts.get(id).path("active").asBoolean();
    }

    /** Every PATCH of this user that reached Genesys, whatever it answered. */
    List<Request> patches(String id) {
        return server.requests().stream().filter(r -> r.method().equals("PATCH") && r.path().equals(USERS + "/" + id))
                .toList();
    }

    List<Request> allPatches() {
        return server.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
    }

    /** How many PATCHes switched this user off (answered 2xx). */
    long deactivations(String id) {
        return deactivated.stream().filter(id::equals).count();
    }

    private Response answer(Request request) throws Exception {
        if (request.path().startsWith("/oauth/token")) {
            return Response.of(200, "{\"access_token\":\"remedy-token\",\"token_type\":\"bearer\",\"expires_in\":86400}");
        }
        if (request.method().equals("GET") && request.path().startsWith(USERS + "?")) {
            ObjectNode page = JSON.createObjectNode().put("totalResults", accounts.size()).put("startIndex", 1);
            ArrayNode resources = page.putArray("Resources");
            int start = Integer.parseInt(request.path().replaceAll(".*startIndex=(\\d+).*", "$1"));
            if (start == 1) {
                accounts.values().forEach(resources::add);
            }
            return Response.of(200, page.toString());
        }
        if (request.method().equals("PATCH") && request.path().startsWith(USERS + "/")) {
            if (patchDelayMillis > 0) {
                Thread.sleep(patchDelayMillis);
            }
            switch (mode) {
                case UNREACHABLE:
                    throw new LoopbackServer.Unreachable();
                case UNAVAILABLE:
                    return Response.of(503, "{\"message\":\"service unavailable\"}");
                case FORBIDDEN:
                    return Response.of(403, "{\"message\":\"missing permission directory:user:edit\"}");
                case RATE_LIMITED:
                    return new Response(429, "{\"message\":\"rate limit exceeded\"}", Map.of("Retry-After", "30"));
                default:
                    break;
            }
            String id = request.path().substring(USERS.length() + 1);
            ObjectNode user = accounts.get(id);
            if (user == null) {
                return Response.of(404, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"status\":\"404\"}");
            }
            if (JSON.readTree(request.body()).path("Operations").path(0).path("value").isBoolean()) {
                user.put("active", JSON.readTree(request.body()).path("Operations").path(0).path("value").asBoolean());
            }
            deactivated.add(id);
            return Response.of(200, user.toString());
        }
        return Response.of(404, "{}");
    }

    @Override
    public void close() {
        server.close();
    }
}
