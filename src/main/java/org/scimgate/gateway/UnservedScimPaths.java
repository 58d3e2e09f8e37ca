package org.scimgate.gateway;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every {@code /scim/v2} path and method the gateway does not serve answers as SCIM does (an RFC
 * 7644 §3.12 error, {@code status} a string), never a Spring problem: 405 for a resource it serves
 * by other methods, 404 for anything else. Spring prefers every more specific mapping to this one.
 */
@RestController
class UnservedScimPaths {

    private static final Pattern SERVED = Pattern.compile(
            "/(Users|Groups)(/[^/]+)?|/(ServiceProviderConfig|Schemas|ResourceTypes)(/[^/]+)?");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final GatewayAnswers answers;

    UnservedScimPaths(GatewayAnswers answers) {
        this.answers = answers;
    }

    @RequestMapping({"/scim/v2", "/scim/v2/**"})
    ResponseEntity<String> unserved(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length() + "/scim/v2".length());
        if (SERVED.matcher(path).matches() && METHODS.contains(request.getMethod())) {
            return answers.error(405, request.getMethod() + " is not served on /scim/v2" + path, false);
        }
        return answers.error(404, "scimgate serves no SCIM resource at /scim/v2" + path + "; it serves /Users, "
                + "/Groups, /ServiceProviderConfig, /Schemas and /ResourceTypes", false);
    }
}
