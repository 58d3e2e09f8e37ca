package org.scimgate.remediation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.scimgate.genesys.GenesysScim;
import org.scimgate.genesys.GenesysUnavailable;
import org.springframework.stereotype.Component;

/**
 * Switches an account off in Genesys: SCIM {@code PATCH /api/v2/scim/v2/users/{id}} with
 * {@code active: false}, through the service's Genesys client (its token, circuit breaker, rate
 * limiter and per-call deadline). A 404 means the account is gone, which is as good as inactive.
 */
@Component
class Deactivate implements ActionType {

    static final String BODY = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],\
            "Operations":[{"op":"replace","path":"active","value":false}]}""";
    private static final int ANSWER_KEPT = 500;

    private final GenesysScim genesys;

    Deactivate(GenesysScim genesys) {
        this.genesys = genesys;
    }

    @Override
    public String name() {
        return "deactivate";
    }

    @Override
    public String describe(String targetId) {
        return "PATCH " + GenesysScim.BASE + path(targetId) + " active:false";
    }

    @Override
    public Outcome carryOut(String targetId) {
        GenesysScim.Answer answer;
        try {
            answer = genesys.exchange("PATCH", path(targetId), BODY, null);
        } catch (GenesysUnavailable e) {
            return e.status() == 429 ? new Later(false, 429, e.getMessage(), e.retryAfter())
                    : new Later(true, e.status() == 0 ? null : e.status(), e.getMessage(), e.retryAfter());
        }
        int status = answer.status();
        String said = status + " " + brief(answer.body());
        if (status >= 200 && status < 300) {
            return new Done(status, status + " the account is inactive"); // the body is the user: not kept
        }
        if (status == 404) {
            return new Done(status, said + " (the account is gone)");
        }
        if (status == 429) {
            return new Later(false, status, said, retryAfter(answer));
        }
        if (status == 408 || status >= 500) {
            return new Later(true, status, said, retryAfter(answer));
        }
        return new Refused(status, said);
    }

    private static String path(String targetId) {
        return "/users/" + URLEncoder.encode(targetId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Retry-After in seconds, as Genesys sends it; null when absent or not a number. */
    private static Duration retryAfter(GenesysScim.Answer answer) {
        String value = answer.headers().get("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String brief(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() > ANSWER_KEPT ? flat.substring(0, ANSWER_KEPT) + "…" : flat;
    }
}
