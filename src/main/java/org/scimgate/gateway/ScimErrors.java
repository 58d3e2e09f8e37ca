package org.scimgate.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Whatever the gateway's controllers fail with is still answered as SCIM: an RFC 7644 error, never a Spring problem. */
@RestControllerAdvice(assignableTypes = {ScimGatewayController.class, ScimGroupsController.class, UnservedScimPaths.class})
class ScimErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ScimErrors.class);

    private final GatewayAnswers answers;

    ScimErrors(GatewayAnswers answers) {
        this.answers = answers;
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<String> failed(RuntimeException e) {
        LOG.error("A SCIM gateway request failed", e);
        return answers.error(500, "scimgate could not handle this request; nothing was sent to Genesys unless its "
                + "decision is on file", true);
    }
}
