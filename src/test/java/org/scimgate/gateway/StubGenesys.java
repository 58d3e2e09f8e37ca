package org.scimgate.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Genesys' SCIM API on loopback for gateway tests over real HTTP: it holds user {@code u-1} (version
 * {@code W/"7"}), accepts writes, and records what reaches it.
 */
final class StubGenesys implements AutoCloseable {

    static final String IDP_TOKEN = "entra-scim-token-5c1d";
    static final String ACCESS_TOKEN = "genesys-token";
    static final String STORED_USER = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "id":"u-1","userName":"jane.doe@acme.com","displayName":"Jane Doe",
             "emails":[{"value":"jane.doe@acme.com","type":"work","primary":true},
                       {"value":"jane@home.example","type":"other","primary":false}],"active":true,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"},
             "meta":{"resourceType":"User","version":"W/\\"7\\""}}""";

    private final LoopbackServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private TestPostgres.Database database;
    private volatile int seen;

    StubGenesys() {
        try {
            server = new LoopbackServer();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        reset();
    }

    /** Answers as built (below) again, and forgets the requests that reached it so far. */
    void reset() {
        server.respond(StubGenesys::answer);
        seen = server.requests().size();
    }

    /** Holds {@code u-1}, accepts writes; a test may {@link #respond} otherwise until the next {@link #reset}. */
    private static Response answer(LoopbackServer.Request request) {
        if (request.path().equals("/oauth/token")) {
            return Response.of(200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":86400}");
        }
        if (request.method().equals("GET") && request.path().startsWith("/api/v2/scim/v2/users/u-1")) {
            return Response.of(200, STORED_USER); // the version only in meta.version
        }
        if (request.method().equals("POST")) {
            return new Response(201, request.body(), Map.of("ETag", "W/\"1\""));
        }
        return new Response(200, request.body().isEmpty() ? STORED_USER : request.body(), Map.of("ETag", "W/\"8\""));
    }

    void respond(LoopbackServer.Responder responder) {
        server.respond(responder);
    }

    URI uri() {
        return server.uri();
    }

    /** Every request that reached Genesys since the last {@link #reset}, oldest first. */
    List<LoopbackServer.Request> requests() {
        List<LoopbackServer.Request> all = server.requests();
        return all.subList(Math.min(seen, all.size()), all.size());
    }

    /** The requests since the last {@link #reset} whose path starts with {@code path}. */
    List<LoopbackServer.Request> requests(String path) {
        return requests().stream().filter(r -> r.path().startsWith(path)).toList();
    }

    void register(DynamicPropertyRegistry registry) {
        database = TestPostgres.newDatabase();
        database.register(registry);
        TestCredentials.register(registry);
        registry.add("scimgate.gateway.scim-token", () -> IDP_TOKEN);
        registry.add("scimgate.genesys.client-id", () -> "client");
        registry.add("scimgate.genesys.client-secret", () -> "secret");
        registry.add("scimgate.genesys.api-base-url", () -> server.uri().toString());
        registry.add("scimgate.genesys.login-base-url", () -> server.uri().toString());
        registry.add("scimgate.siem.relay-enabled", () -> "false");
        registry.add("scimgate.siem.file", () -> System.getProperty("java.io.tmpdir") + "/scimgate-gw-judged-siem.ndjson");
    }

    /** The service's database as its owner: the service itself connects as the application role. */
    JdbcTemplate owner() {
        return database.asOwner();
    }

    /** Writes (not token requests, not reads) that reached Genesys, oldest first. */
    List<LoopbackServer.Request> writes() {
        return requests().stream().filter(r -> !r.path().equals("/oauth/token") && !r.method().equals("GET")).toList();
    }

    LoopbackServer.Request lastWrite() {
        List<LoopbackServer.Request> writes = writes();
        return writes.get(writes.size() - 1);
    }

    /** A request from the identity provider to scimgate's {@code /scim/v2}, over real HTTP. */
    HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/scim/v2" + path))
                .header("Authorization", "Bearer " + IDP_TOKEN).header("Content-Type", "application/scim+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A PATCH of user {@code u-1} with the given operations (a JSON array's elements), over real HTTP. */
    HttpResponse<String> patch(int port, String operations) throws Exception {
        return send(port, "PATCH", "/Users/u-1",
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[" + operations + "]}");
    }

    @Override
    public void close() {
        server.close();
    }
}
