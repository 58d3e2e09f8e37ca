package org.scimgate.console;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The signed-in role on every console page: the header shows it, the outbox page asks it. */
@ControllerAdvice(assignableTypes = {ConsoleController.class, DecisionsController.class,
        PolicyPageController.class, OutboxPageController.class, ImpactPageController.class})
class ConsoleModel {

    @ModelAttribute("role")
    String role(Authentication authentication) {
        return authentication == null ? null : authentication.getName();
    }
}
