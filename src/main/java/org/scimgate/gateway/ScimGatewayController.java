package org.scimgate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.scimgate.audit.DecisionIds;
import org.scimgate.audit.UnstorableDecision;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.genesys.GenesysUnavailable;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.scim.DuplicateAttribute;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimNames;
import org.scimgate.scim.ScimSchema;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;
import org.scimgate.security.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /scim/v2}: the SCIM 2.0 endpoint identity providers point at instead of Genesys. Writes
 * are judged by the same rules as the webhook and forwarded only when compliant; everything else
 * passes through. The identity provider's token is checked here and never sent on.
 */
@RestController
@RequestMapping("/scim/v2")
class ScimGatewayController {

    private static final Logger LOG = LoggerFactory.getLogger(ScimGatewayController.class);
    static final String SCIM_JSON = "application/scim+json";

    private final GatewaySettings settings;
    private final GenesysScim genesys;
    private final PolicyEngine engine;
    private final GatewayAudit audit;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    ScimGatewayController(GatewaySettings settings, GenesysScim genesys, PolicyEngine engine, GatewayAudit audit,
                          ObjectMapper json) {
        this.settings = settings;
        this.genesys = genesys;
        this.engine = engine;
        this.audit = audit;
        this.json = json;
    }

    @PostMapping("/Users")
    ResponseEntity<String> create(HttpServletRequest request) {
        return write(new Call("POST /Users"), "/users", request, null);
    }

    @PutMapping("/Users/{id}")
    ResponseEntity<String> replace(@PathVariable String id, HttpServletRequest request) {
        return write(new Call("PUT /Users/" + id), "/users/" + encode(id), request, null);
    }

    /** Applied here and sent to Genesys as the PUT of the user judged, with If-Match of the version patched. */
    @PatchMapping("/Users/{id}")
    ResponseEntity<String> patch(@PathVariable String id, HttpServletRequest request) {
        return write(new Call("PATCH /Users/" + id), "/users/" + encode(id), request, id);
    }

    @DeleteMapping("/Users/{id}")
    ResponseEntity<String> delete(@PathVariable String id,
                                  @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                  @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Call call = new Call("DELETE /Users/" + id);
        ResponseEntity<String> refused = refuse(call, authorization);
        if (refused != null) {
            return refused;
        }
        return forwardAndRecord(call, "DELETE", "/users/" + encode(id), null, ifMatch, null, null, false);
    }

    @GetMapping("/Users")
    ResponseEntity<String> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                HttpServletRequest request) {
        return read("GET /Users", authorization, "/users" + query(request));
    }

    @GetMapping("/Users/{id}")
    ResponseEntity<String> one(@PathVariable String id,
                               @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                               HttpServletRequest request) {
        return read("GET /Users/" + id, authorization, "/users/" + encode(id) + query(request));
    }

    @GetMapping({"/ServiceProviderConfig", "/Schemas", "/Schemas/{id}", "/ResourceTypes", "/ResourceTypes/{id}"})
    ResponseEntity<String> discovery(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                     HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length() + "/scim/v2".length());
        int slash = path.indexOf('/', 1);
        String lowered = slash < 0 ? path.toLowerCase() : path.substring(0, slash).toLowerCase() + path.substring(slash);
        return read("GET " + path, authorization, lowered);
    }

    private record Call(UUID id, Instant at, String operation) {
        Call(String operation) {
            this(DecisionIds.next(), Instant.now(), operation);
        }
    }

    /** POST and PUT forward the user judged; a PATCH ({@code patchedId} set) the user it makes of Genesys' one. */
    private ResponseEntity<String> write(Call call, String path, HttpServletRequest request, String patchedId) {
        ResponseEntity<String> refused = refuse(call, request.getHeader(HttpHeaders.AUTHORIZATION));
        if (refused != null) {
            return refused; // before a byte of the body is read
        }
        long limit = settings.maxBodySize().toBytes();
        JsonNode root;
        try {
            byte[] body = BoundedBody.read(request, limit);
            if (body == null) {
                return recordAndAnswer(call, "MALFORMED", 413, null, "the body is larger than " + limit + " bytes",
                        null, null, null);
            }
            root = body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            boolean duplicate = String.valueOf(e.getMessage()).startsWith("Duplicate field");
            return recordAndAnswer(call, "MALFORMED", 400, "invalidSyntax", duplicate
                    ? "the body names an attribute twice" : "the body is not valid JSON", null, null, null);
        }
        if (root == null || !root.isObject()) {
            return recordAndAnswer(call, "MALFORMED", 400, "invalidSyntax", "the body must be a SCIM JSON object", null,
                    null, null);
        }
        String method = request.getMethod();
        String ifMatch = request.getHeader(HttpHeaders.IF_MATCH);
        ObjectNode judged = (ObjectNode) root;
        try {
            if (patchedId != null) {
                GenesysScim.Answer current = genesys.exchange("GET", path, null, null);
                if (current.status() != 200) {
                    return relay(current);
                }
                JsonNode stored = json.readTree(current.body());
                String version = Versions.of(current, stored);
                if (version == null) {
                    return recordAndAnswer(call, "MALFORMED", 502, null, "Genesys gave no version of the user, so the "
                            + "PATCH cannot be applied to a known state", null, null, root);
                }
                if (ifMatch != null && !Versions.matches(ifMatch, version)) {
                    return recordAndAnswer(call, "MALFORMED", 412, null, "If-Match " + ifMatch + " does not match the "
                            + "user's version in Genesys, " + version + "; nothing was changed", null, null, root);
                }
                judged = ScimPatch.apply(stored, root);
                method = "PUT";
                ifMatch = version;
            }
            ScimNames.refuseDuplicates(judged, "user");
            judged = OneLogin.normalise(ScimSchema.canonicalNames(judged));
            ScimUser user = ScimUserReader.read(judged, "user");
            Evaluation evaluation = engine.evaluateOrRefuse(user);
            if (!evaluation.compliant()) {
                String detail = "Refused by the provisioning policy: " + evaluation.enforced().stream()
                        .map(v -> v.field() + ": " + v.message() + " (" + v.code() + ")")
                        .collect(Collectors.joining("; "));
                return recordAndAnswer(call, "REJECTED", 400, "invalidValue", detail, user, evaluation, judged);
            }
            String outcome = evaluation.warnings().isEmpty() ? "ACCEPTED" : "ACCEPTED_WITH_WARNINGS";
            // Recorded before the write is forwarded: no user reaches Genesys without its decision on file.
            audit.record(new GatewayDecision(call.id(), call.at(), call.operation(), outcome, 0, user, evaluation,
                    judged, "compliant: forwarding to Genesys; its answer is recorded as FORWARDED", "", null));
            // What Genesys receives is the document judged, re-serialised: never the raw body.
            return forwardAndRecord(call, method, path, json.writeValueAsString(judged), ifMatch, user, judged,
                    patchedId != null);
        } catch (PatchRefused e) {
            return recordAndAnswer(call, "MALFORMED", 400, e.scimType(), e.detail(), null, null, root);
        } catch (MalformedPayload e) {
            return recordAndAnswer(call, "MALFORMED", 400, e instanceof DuplicateAttribute ? "invalidSyntax"
                    : "invalidValue", e.detail(), null, null, root);
        } catch (GenesysUnavailable e) {
            return unavailable(call, e);
        } catch (UnstorableDecision e) {
            return recordAndAnswer(call, "MALFORMED", 400, "invalidValue", e.getMessage(), null, null, null);
        } catch (DataAccessException | TransactionException e) {
            LOG.error("Gateway decision {} could not be recorded; nothing was forwarded: {}", call.id(),
                    e.getMostSpecificCause().toString());
            return scim(503, ScimError.of(503, null, "The decision could not be recorded, so nothing was sent to "
                    + "Genesys; retry later"), Map.of(HttpHeaders.RETRY_AFTER, retryAfter()));
        } catch (JsonProcessingException e) {
            return recordAndAnswer(call, "MALFORMED", 502, null, "Genesys answered with something that is not JSON",
                    null, null, null);
        }
    }

    private ResponseEntity<String> forwardAndRecord(Call call, String method, String path, String body, String ifMatch,
                                                    ScimUser user, JsonNode payload, boolean patch) {
        GenesysScim.Answer answer;
        try {
            answer = genesys.exchange(method, path, body, ifMatch);
        } catch (GenesysUnavailable e) {
            return unavailable(call, e);
        }
        try {
            audit.record(new GatewayDecision(DecisionIds.next(), clock.instant(), call.operation(), "FORWARDED",
                    answer.status(), user, null, payload, "Genesys' answer to decision " + call.id(), answer.body(),
                    answer.status()));
        } catch (DataAccessException | TransactionException | UnstorableDecision e) {
            // The write was made: the identity provider must hear Genesys' answer. The decision itself is on file.
            LOG.error("Genesys answered {} to decision {}, but the answer could not be recorded: {}", answer.status(),
                    call.id(), e.toString());
        }
        LOG.info("Gateway decision {}: {} forwarded, Genesys answered {}", call.id(), call.operation(), answer.status());
        if (patch && (answer.status() == 412 || answer.status() == 400 && answer.body() != null
                && answer.body().contains("invalidVers"))) {
            // The user changed between the read the PATCH was applied to and the write: nothing was changed.
            return scim(412, ScimError.of(412, null, "The user changed in Genesys while this PATCH was applied, so "
                    + "nothing was changed; retry"), Map.of());
        }
        return relay(answer);
    }

    private ResponseEntity<String> read(String operation, String authorization, String path) {
        Call call = new Call(operation);
        ResponseEntity<String> refused = refuse(call, authorization);
        if (refused != null) {
            return refused;
        }
        try {
            return relay(genesys.exchange("GET", path, null, null));
        } catch (GenesysUnavailable e) {
            return scim(503, ScimError.of(503, null, "Genesys Cloud cannot be reached; retry later"),
                    Map.of(HttpHeaders.RETRY_AFTER, retryAfter()));
        }
    }

    /** Null when the caller may proceed; otherwise the answer, audited when the caller was refused. */
    private ResponseEntity<String> refuse(Call call, String authorization) {
        if (!settings.enabled() || !genesys.configured()) {
            return scim(503, ScimError.of(503, null, "The SCIM gateway is not configured: set SCIMGATE_SCIM_TOKEN "
                    + "and GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET"), Map.of());
        }
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (Credentials.matches(presented, settings.scimToken())) {
            return null;
        }
        return recordAndAnswer(call, "UNAUTHENTICATED", 401, null,
                "Send the SCIM token scimgate was configured with as 'Authorization: Bearer <token>'", null, null, null);
    }

    private ResponseEntity<String> unavailable(Call call, GenesysUnavailable e) {
        LOG.warn("Gateway decision {}: Genesys unreachable, {} not made: {}", call.id(), call.operation(), e.getMessage());
        // A row of its own: the decision to accept may already be on file under the call's id.
        return recordAndAnswer(new Call(DecisionIds.next(), clock.instant(), call.operation()), "UNAVAILABLE", 503, null,
                "Genesys Cloud cannot be reached, so the change was not made; retry later", null, null, null);
    }

    private ResponseEntity<String> recordAndAnswer(Call call, String outcome, int status, String scimType, String detail,
                                                   ScimUser user, Evaluation evaluation, JsonNode payload) {
        ScimError error = ScimError.of(status, scimType, detail);
        String body = write(error);
        try {
            audit.record(new GatewayDecision(call.id(), call.at(), call.operation(), outcome, status, user, evaluation,
                    payload, detail, body, null));
        } catch (UnstorableDecision e) {
            // Recorded without the content PostgreSQL refused; the caller hears which field it was.
            return user == null && payload == null && detail.equals(e.getMessage()) ? scim(503, ScimError.of(503, null,
                    "The decision could not be recorded; retry later"), Map.of(HttpHeaders.RETRY_AFTER, retryAfter()))
                    : recordAndAnswer(call, "MALFORMED", 400, "invalidValue", e.getMessage(), null, null, null);
        } catch (DataAccessException | TransactionException e) {
            LOG.error("Gateway decision {} could not be recorded: {}", call.id(), e.getMostSpecificCause().toString());
            return scim(503, ScimError.of(503, null, "The decision could not be recorded; retry later"),
                    Map.of(HttpHeaders.RETRY_AFTER, retryAfter()));
        }
        LOG.info("Gateway decision {}: {} {}", call.id(), call.operation(), outcome);
        return scim(status, body, status == 503 ? Map.of(HttpHeaders.RETRY_AFTER, retryAfter()) : Map.of());
    }

    private ResponseEntity<String> relay(GenesysScim.Answer answer) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
        answer.headers().forEach(response::header);
        if (!answer.headers().containsKey("Content-Type")) {
            response.header(HttpHeaders.CONTENT_TYPE, SCIM_JSON);
        }
        return response.body(answer.body());
    }

    private ResponseEntity<String> scim(int status, Object body, Map<String, String> headers) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).header(HttpHeaders.CONTENT_TYPE, SCIM_JSON);
        headers.forEach(response::header);
        return response.body(body instanceof String s ? s : write(body));
    }

    /** The query passed on to Genesys; {@code count} is clamped, as Genesys may answer 429 to pages over 25. */
    private String query(HttpServletRequest request) {
        if (request.getParameterMap().isEmpty()) {
            return "";
        }
        StringBuilder query = new StringBuilder();
        request.getParameterMap().forEach((name, values) -> {
            for (String value : values) {
                if (name.equalsIgnoreCase("count")) {
                    try {
                        value = Integer.toString(Math.min(Integer.parseInt(value), settings.maxPageSize()));
                    } catch (NumberFormatException e) {
                        // Genesys explains a bad count better than we would
                    }
                }
                query.append(query.length() == 0 ? '?' : '&').append(encode(name)).append('=').append(encode(value));
            }
        });
        return query.toString();
    }

    private String retryAfter() {
        return Long.toString(settings.retryAfter().toSeconds());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
