package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;

/**
 * A Genesys that keeps its groups' members: {@code g-pay} (Finance Payables), {@code g-app}
 * (Finance Approvers) and {@code g-sup} (Support), all empty at first; any user id starting
 * {@code u-} exists. A PATCH adding members or a PUT of the members changes what later reads of the
 * group and of its users show, unless reads {@link #lag lag}: then a user's {@code groups} stay as
 * they were before the writes, as an eventually consistent read would.
 *
 * <p>{@link #holdFirstWriteUntil} holds the first write that arrives until a condition holds (checked
 * every few milliseconds, for at most {@value #HOLD_MS} ms), to force an interleaving.
 */
final class MembershipGenesys implements AutoCloseable {

    static final String IDP_TOKEN = "entra-scim-token-5d1c";
    private static final long HOLD_MS = 8_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> NAMES = Map.of("g-pay", "Finance Payables", "g-app", "Finance Approvers",
            "g-sup", "Support");

    private final LoopbackServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Set<String>> members = new LinkedHashMap<>();
    private final Map<String, Set<String>> seen = new LinkedHashMap<>();
    private final AtomicInteger version = new AtomicInteger(3);
    private volatile boolean lag;
    private volatile BooleanSupplier hold;

    MembershipGenesys() {
        try {
            server = new LoopbackServer();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        reset();
        server.respond(request -> {
            String path = request.path();
            if (path.equals("/oauth/token")) {
                return Response.of(200, "{\"access_token\":\"genesys-token\",\"expires_in\":86400}");
            }
            String scim = path.substring("/api/v2/scim/v2".length()).replaceFirst("\\?.*", "");
            if (request.method().equals("GET")) {
                return read(scim);
            }
            BooleanSupplier condition = hold;
            if (condition != null) {
                hold = null;
                long until = System.currentTimeMillis() + HOLD_MS;
                while (!condition.getAsBoolean() && System.currentTimeMillis() < until) {
                    Thread.sleep(5);
                }
            }
            return write(request.method(), scim.substring("/groups/".length()), JSON.readTree(request.body()));
        });
    }

    /** Every group empty again, reads up to date, nothing held. */
    synchronized void reset() {
        NAMES.keySet().forEach(id -> members.put(id, new LinkedHashSet<>()));
        NAMES.keySet().forEach(id -> seen.put(id, new LinkedHashSet<>()));
        lag = false;
        hold = null;
    }

    /** From now on a user's groups read as they are now, whatever is written. */
    void lag() {
        lag = true;
    }

    void holdFirstWriteUntil(BooleanSupplier condition) {
        hold = condition;
    }

    /** The groups {@code user} is in, as Genesys holds them. */
    synchronized Set<String> groupsOf(String user) {
        return members.entrySet().stream().filter(e -> e.getValue().contains(user)).map(e -> NAMES.get(e.getKey()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private synchronized Response read(String scim) {
        if (scim.startsWith("/users/u-")) {
            String user = scim.substring("/users/".length());
            Map<String, Set<String>> view = lag ? seen : members;
            String groups = view.entrySet().stream().filter(e -> e.getValue().contains(user))
                    .map(e -> "{\"value\":\"" + e.getKey() + "\",\"display\":\"" + NAMES.get(e.getKey()) + "\"}")
                    .collect(Collectors.joining(","));
            return Response.of(200, GroupsGenesys.user(user, groups));
        }
        if (scim.startsWith("/groups/") && NAMES.containsKey(scim.substring("/groups/".length()))) {
            return group(scim.substring("/groups/".length()));
        }
        return Response.of(404, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],"
                + "\"status\":\"404\",\"detail\":\"not found\"}");
    }

    private synchronized Response write(String method, String id, JsonNode body) {
        Set<String> group = members.get(id);
        if (method.equals("PUT")) {
            group.clear();
            body.path("members").forEach(m -> group.add(m.path("value").asText()));
        } else {
            for (JsonNode op : body.path("Operations")) {
                if (op.path("op").asText().equalsIgnoreCase("add") && op.path("path").asText().equals("members")) {
                    op.path("value").forEach(m -> group.add(m.path("value").asText()));
                }
            }
        }
        if (!lag) {
            seen.get(id).clear();
            seen.get(id).addAll(group);
        }
        version.incrementAndGet();
        return group(id);
    }

    private Response group(String id) {
        String list = members.get(id).stream().map(u -> "{\"value\":\"" + u + "\"}").collect(Collectors.joining(","));
        String v = "W/\\\"" + version.get() + "\\\"";
        return new Response(200, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"id\":\"" + id
                + "\",\"displayName\":\"" + NAMES.get(id) + "\",\"members\":[" + list + "],\"meta\":{\"resourceType\":"
                + "\"Group\",\"version\":\"" + v + "\"}}", Map.of("ETag", "W/\"" + version.get() + "\""));
    }

    URI uri() {
        return server.uri();
    }

    List<LoopbackServer.Request> writes() {
        return GroupsGenesys.writes(server);
    }

    List<LoopbackServer.Request> reads(String path) {
        return GroupsGenesys.reads(server, path);
    }

    HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        return GroupsGenesys.send(http, IDP_TOKEN, port, method, path, body);
    }

    @Override
    public void close() {
        server.close();
    }
}
