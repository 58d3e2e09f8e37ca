package org.scimgate.gateway;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.scimgate.gateway.Judgement.Compliant;
import org.scimgate.gateway.Judgement.Refused;
import org.scimgate.gateway.Judgement.Relayed;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.genesys.GenesysUnavailable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
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
 * are judged by the same rules as the webhook ({@link GatewayJudge}) and forwarded only when
 * compliant, with the decision on file first; everything else passes through
 * ({@link GenesysPassThrough}). The identity provider's token is checked here and never sent on.
 */
@RestController
@RequestMapping("/scim/v2")
class ScimGatewayController {

    private final GatewaySettings settings;
    private final GenesysScim genesys;
    private final GatewayJudge judge;
    private final GatewayAnswers answers;
    private final GenesysPassThrough passThrough;
    private final GatewayForwarding forwarding;

    ScimGatewayController(GatewaySettings settings, GenesysScim genesys, GatewayJudge judge, GatewayAnswers answers,
                          GenesysPassThrough passThrough, GatewayForwarding forwarding) {
        this.settings = settings;
        this.genesys = genesys;
        this.judge = judge;
        this.answers = answers;
        this.passThrough = passThrough;
        this.forwarding = forwarding;
    }

    @PostMapping("/Users")
    ResponseEntity<String> create(HttpServletRequest request) {
        return write(new GatewayCall("POST /Users"), "/users", request, false);
    }

    @PutMapping("/Users/{id}")
    ResponseEntity<String> replace(@PathVariable String id, HttpServletRequest request) {
        return write(new GatewayCall("PUT /Users/" + id), "/users/" + GenesysPassThrough.encode(id), request, false);
    }

    /** Applied here and sent to Genesys as the PUT of the user judged, with If-Match of the version patched. */
    @PatchMapping("/Users/{id}")
    ResponseEntity<String> patch(@PathVariable String id, HttpServletRequest request) {
        return write(new GatewayCall("PATCH /Users/" + id), "/users/" + GenesysPassThrough.encode(id), request, true);
    }

    @DeleteMapping("/Users/{id}")
    ResponseEntity<String> delete(@PathVariable String id,
                                  @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                  @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        GatewayCall call = new GatewayCall("DELETE /Users/" + id);
        ResponseEntity<String> refused = answers.refuse(call, authorization);
        if (refused != null) {
            return refused;
        }
        // Not a provisioning decision the policy judges, but on file before Genesys is asked to make it.
        ResponseEntity<String> notRecorded = recordBeforeForwarding(call, new GatewayDecision(call.id(), call.at(),
                call.operation(), "ACCEPTED", 0, null, null, null,
                "a deletion: not judged by the policy; forwarding to Genesys; its answer is recorded as FORWARDED", "",
                null));
        if (notRecorded != null) {
            return notRecorded;
        }
        return forwardAndRecord(call, "DELETE", "/users/" + GenesysPassThrough.encode(id), null, ifMatch, null, false);
    }

    @GetMapping("/Users")
    ResponseEntity<String> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                HttpServletRequest request) {
        return read("GET /Users", authorization, "/users" + passThrough.query(request));
    }

    @GetMapping("/Users/{id}")
    ResponseEntity<String> one(@PathVariable String id,
                               @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                               HttpServletRequest request) {
        return read("GET /Users/" + id, authorization, "/users/" + GenesysPassThrough.encode(id)
                + passThrough.query(request));
    }

    @GetMapping({"/ServiceProviderConfig", "/Schemas", "/Schemas/{id}", "/ResourceTypes", "/ResourceTypes/{id}"})
    ResponseEntity<String> discovery(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                     HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length() + "/scim/v2".length());
        int slash = path.indexOf('/', 1);
        String lowered = slash < 0 ? path.toLowerCase() : path.substring(0, slash).toLowerCase() + path.substring(slash);
        return read("GET " + path, authorization, lowered);
    }

    /** POST and PUT forward the user judged; a PATCH the user it makes of Genesys' one, as a PUT. */
    private ResponseEntity<String> write(GatewayCall call, String path, HttpServletRequest request, boolean patch) {
        ResponseEntity<String> refused = answers.refuse(call, request.getHeader(HttpHeaders.AUTHORIZATION));
        if (refused != null) {
            return refused; // before a byte of the body is read
        }
        long limit = settings.maxBodySize().toBytes();
        Judgement judgement;
        try {
            judgement = judge.judge(BoundedBody.read(request, limit), limit, request.getHeader(HttpHeaders.IF_MATCH),
                    patch ? () -> genesys.exchange("GET", path, null, null) : null);
        } catch (IOException e) {
            judgement = Refused.malformed(400, "invalidSyntax", "the body could not be read", null);
        } catch (GenesysUnavailable e) {
            return answers.unavailable(call, e);
        }
        if (judgement instanceof Relayed relayed) {
            return passThrough.relay(relayed.answer());
        }
        if (judgement instanceof Refused refusal) {
            return answers.recordAndAnswer(call, refusal);
        }
        Compliant compliant = (Compliant) judgement;
        ResponseEntity<String> notRecorded = recordBeforeForwarding(call, new GatewayDecision(call.id(), call.at(),
                call.operation(), compliant.outcome(), 0, compliant.user(), compliant.evaluation(), compliant.document(),
                "compliant: forwarding to Genesys; its answer is recorded as FORWARDED", "", null));
        if (notRecorded != null) {
            return notRecorded;
        }
        // What Genesys receives is the document judged, re-serialised: never the raw body.
        return forwardAndRecord(call, patch ? "PUT" : request.getMethod(), path,
                answers.toJson(compliant.document()), compliant.ifMatch(), compliant, patch);
    }

    private ResponseEntity<String> recordBeforeForwarding(GatewayCall call, GatewayDecision decision) {
        return forwarding.recordBeforeForwarding(call, decision);
    }

    private ResponseEntity<String> forwardAndRecord(GatewayCall call, String method, String path, String body,
                                                    String ifMatch, Compliant judged, boolean patch) {
        GenesysScim.Answer answer;
        try {
            answer = forwarding.forwardAndRecord(call, method, path, body, ifMatch,
                    judged == null ? null : judged.user(), judged == null ? null : judged.document(), false);
        } catch (GenesysUnavailable e) {
            return answers.unavailable(call, e);
        }
        if (patch && (answer.status() == 412 || answer.status() == 400 && answer.body() != null
                && answer.body().contains("invalidVers"))) {
            // The user changed between the read the PATCH was applied to and the write: nothing was changed.
            return answers.error(412, "The user changed in Genesys while this PATCH was applied, so nothing was "
                    + "changed; retry", false);
        }
        return passThrough.relay(answer);
    }

    private ResponseEntity<String> read(String operation, String authorization, String path) {
        return forwarding.read(operation, authorization, path);
    }
}
