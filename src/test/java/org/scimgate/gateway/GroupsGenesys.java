package org.scimgate.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Genesys' SCIM groups on loopback: groups {@code g-pay} (Finance Payables), {@code g-app} (Finance
 * Approvers) and {@code g-sup} (Support); user {@code u-pay} is in Finance Payables, {@code u-sup} in
 * Support (listed, as Genesys may, without the group's display name), {@code u-new} in nothing.
 * Reading {@code u-fail} answers 500, reading {@code u-stall} never answers within the client's
 * timeout. Records every request.
 */
final class GroupsGenesys implements AutoCloseable {

    static final String IDP_TOKEN = "okta-scim-token-77a2";
    private final LoopbackServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newHttpClient();

    GroupsGenesys() {
        try {
            server = new LoopbackServer();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        server.respond(request -> {
            String path = request.path();
            if (path.equals("/oauth/token")) {
                return Response.of(200, "{\"access_token\":\"genesys-token\",\"expires_in\":86400}");
            }
            String scim = path.startsWith("/api/v2/scim/v2") ? path.substring("/api/v2/scim/v2".length()) : path;
            if (request.method().equals("GET")) {
                return read(scim);
            }
            if (request.method().equals("POST")) {
                return new Response(201, request.body().replaceFirst("\\{", "{\"id\":\"g-new\","),
                        Map.of("Location", server.uri() + "/api/v2/scim/v2/groups/g-new"));
            }
            if (request.method().equals("DELETE")) {
                return Response.of(204, "");
            }
            return new Response(200, group(scim.substring("/groups/".length()), "Finance Approvers"),
                    Map.of("ETag", "W/\"4\""));
        });
    }

    private Response read(String scim) throws InterruptedException {
        if (scim.startsWith("/users/u-stall")) {
            released.await(30, TimeUnit.SECONDS);
            return Response.of(200, user("u-stall", ""));
        }
        if (scim.startsWith("/users/u-fail")) {
            return Response.of(500, "{\"message\":\"internal error\"}");
        }
        return switch (scim.replaceFirst("\\?.*", "")) {
            case "/groups/g-pay" -> Response.of(200, group("g-pay", "Finance Payables"));
            case "/groups/g-app" -> Response.of(200, group("g-app", "Finance Approvers"));
            case "/groups/g-sup" -> Response.of(200, group("g-sup", "Support"));
            case "/groups" -> Response.of(200, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],"
                    + "\"totalResults\":1,\"startIndex\":1,\"itemsPerPage\":1,\"Resources\":["
                    + group("g-app", "Finance Approvers") + "]}");
            case "/users/u-pay" -> Response.of(200, user("u-pay",
                    "{\"value\":\"g-pay\",\"display\":\"Finance Payables\"}"));
            case "/users/u-sup" -> Response.of(200, user("u-sup", "{\"value\":\"g-sup\"}"));
            case "/users/u-new" -> Response.of(200, user("u-new", ""));
            default -> Response.of(404, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],"
                    + "\"status\":\"404\",\"detail\":\"not found\"}");
        };
    }

    static String group(String id, String name) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"id\":\"" + id + "\",\"displayName\":\""
                + name + "\",\"members\":[],\"meta\":{\"resourceType\":\"Group\",\"version\":\"W/\\\"3\\\"\"}}";
    }

    static String user(String id, String groups) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"" + id + "\",\"userName\":\""
                + id + "@acme.com\",\"displayName\":\"" + id + "\",\"emails\":[{\"value\":\"" + id
                + "@acme.com\",\"type\":\"work\",\"primary\":true}],\"active\":true,\"groups\":[" + groups + "],"
                + "\"meta\":{\"resourceType\":\"User\",\"version\":\"W/\\\"1\\\"\"}}";
    }

    void register(DynamicPropertyRegistry registry) {
        TestPostgres.newDatabase().register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.gateway.scim-token", () -> IDP_TOKEN);
        registry.add("scimgate.genesys.client-id", () -> "client");
        registry.add("scimgate.genesys.client-secret", () -> "secret");
        registry.add("scimgate.genesys.api-base-url", () -> server.uri().toString());
        registry.add("scimgate.genesys.login-base-url", () -> server.uri().toString());
        registry.add("scimgate.genesys.timeout", () -> "2s");
        // A loaded machine must not turn a slow first evaluation into a refusal the test did not ask for.
        registry.add("scimgate.policy.evaluation-timeout", () -> "30s");
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> System.getProperty("java.io.tmpdir") + "/scimgate-groups-siem.ndjson");
    }

    /** Writes (not token requests, not reads) that reached Genesys, oldest first. */
    List<LoopbackServer.Request> writes() {
        return writes(server);
    }

    List<LoopbackServer.Request> reads(String path) {
        return reads(server, path);
    }

    HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        return send(http, IDP_TOKEN, port, method, path, body);
    }

    /** What any stand-in Genesys on {@code server} received: writes (not token requests, not reads), oldest first. */
    static List<LoopbackServer.Request> writes(LoopbackServer server) {
        return server.requests().stream().filter(r -> !r.path().equals("/oauth/token") && !r.method().equals("GET")).toList();
    }

    static List<LoopbackServer.Request> reads(LoopbackServer server, String path) {
        return server.requests("/api/v2/scim/v2" + path).stream().filter(r -> r.method().equals("GET")).toList();
    }

    /** A SCIM request to the gateway on {@code port}, as the identity provider with {@code token} sends it. */
    static HttpResponse<String> send(HttpClient http, String token, int port, String method, String path, String body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/scim/v2" + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/scim+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        released.countDown();
        server.close();
    }
}
