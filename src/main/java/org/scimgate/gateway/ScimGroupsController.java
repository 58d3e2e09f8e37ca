package org.scimgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.stream.Collectors;
import org.scimgate.gateway.Judgement.Outcomes;
import org.scimgate.gateway.Judgement.Refused;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.genesys.GenesysUnavailable;
import org.scimgate.policy.Evaluation;
import org.scimgate.scim.ExactJson;
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
 * {@code /scim/v2/Groups}, forwarded to Genesys' {@code /api/v2/scim/v2/groups} with the token
 * handling, audit and error shapes of {@code /Users}. A write that changes who is in a group is a
 * decision: the users it adds are judged with their groups as facts ({@link MembershipJudge}), the
 * decision is on file before anything is sent, and a refusal sends nothing. Removals are recorded,
 * never refused. A PATCH is judged on the group Genesys holds, and forwarded as the operations
 * judged, conditional on that version of the group; a successful PATCH is answered {@code 204}, as
 * Entra expects and RFC 7644 §3.5.2 allows.
 */
@RestController
@RequestMapping("/scim/v2")
class ScimGroupsController {

    private enum Kind { CREATE, REPLACE, PATCH }

    private final GatewaySettings settings;
    private final GenesysScim genesys;
    private final MembershipJudge judge;
    private final GatewayAnswers answers;
    private final GatewayForwarding forwarding;
    private final GenesysPassThrough passThrough;
    private final MembershipLocks locks;
    private final ObjectMapper json;

    ScimGroupsController(GatewaySettings settings, GenesysScim genesys, MembershipJudge judge, GatewayAnswers answers,
                         GatewayForwarding forwarding, GenesysPassThrough passThrough, MembershipLocks locks,
                         ObjectMapper json) {
        this.locks = locks;
        this.settings = settings;
        this.genesys = genesys;
        this.judge = judge;
        this.answers = answers;
        this.forwarding = forwarding;
        this.passThrough = passThrough;
        this.json = json;
    }

    @GetMapping("/Groups")
    ResponseEntity<String> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                HttpServletRequest request) {
        return forwarding.read("GET /Groups", authorization, "/groups" + passThrough.query(request));
    }

    @GetMapping("/Groups/{id}")
    ResponseEntity<String> one(@PathVariable String id,
                               @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                               HttpServletRequest request) {
        return forwarding.read("GET /Groups/" + id, authorization, "/groups/" + GenesysPassThrough.encode(id)
                + passThrough.query(request));
    }

    @PostMapping("/Groups")
    ResponseEntity<String> create(HttpServletRequest request) {
        return write(new GatewayCall("POST /Groups"), null, request, Kind.CREATE);
    }

    @PutMapping("/Groups/{id}")
    ResponseEntity<String> replace(@PathVariable String id, HttpServletRequest request) {
        return write(new GatewayCall("PUT /Groups/" + id), id, request, Kind.REPLACE);
    }

    @PatchMapping("/Groups/{id}")
    ResponseEntity<String> patch(@PathVariable String id, HttpServletRequest request) {
        return write(new GatewayCall("PATCH /Groups/" + id), id, request, Kind.PATCH);
    }

    /** Deleting a group takes access away: recorded, never refused. */
    @DeleteMapping("/Groups/{id}")
    ResponseEntity<String> delete(@PathVariable String id,
                                  @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                  @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        GatewayCall call = new GatewayCall("DELETE /Groups/" + id);
        ResponseEntity<String> refused = answers.refuse(call, authorization);
        if (refused != null) {
            return refused;
        }
        ResponseEntity<String> notRecorded = forwarding.recordBeforeForwarding(call, new GatewayDecision(call.id(),
                call.at(), call.operation(), "ACCEPTED", 0, null, null, null, "the deletion of a group takes access "
                + "away: not refused; forwarding to Genesys; its answer is recorded as FORWARDED", "", null, true));
        if (notRecorded != null) {
            return notRecorded;
        }
        return forward(call, "DELETE", "/groups/" + GenesysPassThrough.encode(id), null, ifMatch, null, false);
    }

    private ResponseEntity<String> write(GatewayCall call, String id, HttpServletRequest request, Kind kind) {
        ResponseEntity<String> refused = answers.refuse(call, request.getHeader(HttpHeaders.AUTHORIZATION));
        if (refused != null) {
            return refused; // before a byte of the body is read
        }
        long limit = settings.maxBodySize().toBytes();
        JsonNode body;
        try {
            byte[] bytes = BoundedBody.read(request, limit);
            if (bytes == null) {
                return answers.recordAndAnswer(call, Refused.malformed(413, null, "the body is larger than " + limit
                        + " bytes", null));
            }
            body = bytes.length == 0 ? null : ExactJson.reader(json).readTree(bytes);
        } catch (IOException e) {
            boolean duplicate = String.valueOf(e.getMessage()).startsWith("Duplicate field");
            return answers.recordAndAnswer(call, Refused.malformed(400, "invalidSyntax", duplicate
                    ? "the body names an attribute twice" : "the body is not valid JSON", null));
        }
        if (!(body instanceof ObjectNode object)) {
            return answers.recordAndAnswer(call, Refused.malformed(400, "invalidSyntax",
                    "the body must be a SCIM JSON object", null));
        }
        String path = id == null ? "/groups" : "/groups/" + GenesysPassThrough.encode(id);
        String ifMatch = request.getHeader(HttpHeaders.IF_MATCH);
        ObjectNode before = null;
        if (kind != Kind.CREATE) {
            GenesysScim.Answer current;
            try {
                current = genesys.exchange("GET", path, null, null);
            } catch (GenesysUnavailable e) {
                return refuseUnknown(call, object, "Genesys could not be asked for group " + id + " ("
                        + e.getMessage() + ")");
            }
            if (current.status() == 404) {
                return passThrough.relay(current);
            }
            before = group(current);
            if (before == null) {
                return refuseUnknown(call, object, "Genesys answered " + current.status() + " to the read of group "
                        + id + " without the group");
            }
            if (kind == Kind.PATCH) {
                String version = Versions.of(current, before);
                if (ifMatch != null && version != null && !Versions.matches(ifMatch, version)) {
                    return answers.recordAndAnswer(call, new Refused(Outcomes.PRECONDITION_FAILED, 412, null,
                            "If-Match " + ifMatch + " does not match the group's version in Genesys, " + version
                                    + "; nothing was changed", null, null, object), true);
                }
                ifMatch = version; // Genesys applies the operations only to the group they were judged on
            }
        }
        GroupChange change;
        JsonNode sent;
        try {
            ObjectNode after = kind == Kind.PATCH ? GroupPatch.apply(before, object)
                    : (ObjectNode) GroupPatch.withoutNullRefs(object);
            change = GroupChange.of(id, before, after);
            sent = kind == Kind.PATCH ? GroupPatch.normalised(object) : after;
        } catch (PatchRefused e) {
            return answers.recordAndAnswer(call, Refused.malformed(400, e.scimType(), e.detail(), object));
        }
        if (change.added().isEmpty()) {
            return judgeAndForward(call, change, sent, kind, path, ifMatch);
        }
        // Who joins is judged on the groups the user is in; until Genesys has answered this write, no other
        // change of those users' groups (on any instance) reads them.
        MembershipLocks.Held held;
        try {
            held = locks.lock(change.added());
        } catch (MembershipLocks.Busy e) {
            MembershipJudge.Verdict busy = judge.busy(e.getMessage());
            return answers.recordAndAnswer(call, new Refused(busy.evaluation().verdict().name(), 400, null,
                    "Refused: " + busy.evaluation().enforced().get(0).message() + " (" + MembershipLocks.BUSY + ")",
                    null, busy.evaluation(), sent), true);
        }
        try (held) {
            return judgeAndForward(call, change, sent, kind, path, ifMatch);
        }
    }

    private ResponseEntity<String> judgeAndForward(GatewayCall call, GroupChange change, JsonNode sent, Kind kind,
                                                   String path, String ifMatch) {
        MembershipJudge.Verdict verdict = judge.judge(change);
        Evaluation evaluation = verdict.evaluation();
        if (verdict.refused()) {
            String detail = "Refused by the access policy: " + evaluation.enforced().stream()
                    .map(v -> v.field() + ": " + v.message() + " (" + v.code() + ")")
                    .collect(Collectors.joining("; "));
            return answers.recordAndAnswer(call, new Refused(evaluation.verdict().name(), 400, "invalidValue", detail,
                    verdict.user(), evaluation, sent), true);
        }
        String outcome = evaluation == null ? "ACCEPTED" : evaluation.verdict().name();
        ResponseEntity<String> notRecorded = forwarding.recordBeforeForwarding(call, new GatewayDecision(call.id(),
                call.at(), call.operation(), outcome, 0, verdict.user(), evaluation, sent, summary(change), "", null,
                true));
        if (notRecorded != null) {
            return notRecorded;
        }
        return forward(call, kind == Kind.PATCH ? "PATCH" : kind == Kind.CREATE ? "POST" : "PUT", path,
                answers.toJson(sent), ifMatch, sent, kind == Kind.PATCH);
    }

    private ResponseEntity<String> forward(GatewayCall call, String method, String path, String body, String ifMatch,
                                           JsonNode document, boolean patch) {
        GenesysScim.Answer answer;
        try {
            answer = forwarding.forwardAndRecord(call, method, path, body, ifMatch, null, document, true);
        } catch (GenesysUnavailable e) {
            return answers.unavailable(call, e);
        }
        if (patch && (answer.status() == 412 || answer.status() == 400 && answer.body() != null
                && answer.body().contains("invalidVers"))) {
            return answers.error(412, "The group changed in Genesys while this PATCH was judged, so nothing was "
                    + "changed; retry", false);
        }
        if (patch && answer.status() >= 200 && answer.status() < 300) {
            ResponseEntity.BodyBuilder noContent = ResponseEntity.status(204);
            if (answer.headers().containsKey("ETag")) {
                noContent.header(HttpHeaders.ETAG, answer.headers().get("ETag"));
            }
            return noContent.build();
        }
        return passThrough.relay(answer);
    }

    private ResponseEntity<String> refuseUnknown(GatewayCall call, JsonNode payload, String why) {
        MembershipJudge.Verdict unknown = judge.unknown(why, null);
        Evaluation evaluation = unknown.evaluation();
        String detail = "Refused: " + evaluation.enforced().get(0).message() + " (" + MembershipJudge.UNKNOWN + ")";
        return answers.recordAndAnswer(call, new Refused(evaluation.verdict().name(), 400, null, detail, null,
                evaluation, payload), true);
    }

    private ObjectNode group(GenesysScim.Answer answer) {
        if (answer.status() != 200) {
            return null;
        }
        try {
            return ExactJson.reader(json).readTree(String.valueOf(answer.body())) instanceof ObjectNode group ? group
                    : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String summary(GroupChange change) {
        return (change.changesMembership() ? "adds " + change.added().size() + ", removes " + change.removed().size()
                + " member(s) of " + change.displayName() + (change.added().isEmpty() ? "" : "; those joining are "
                + "judged compliant") : "no change of membership")
                + ": forwarding to Genesys; its answer is recorded as FORWARDED";
    }
}
