package org.scimgate.console;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The signed-in person and their role on every console page: the header shows both, the outbox
 * page asks the role.
 */
@ControllerAdvice(assignableTypes = {ConsoleController.class, DecisionsController.class,
        PolicyPageController.class, OutboxPageController.class, ImpactPageController.class})
class ConsoleModel {

    @ModelAttribute("role")
    String role(Authentication authentication) {
        if (authentication == null) {
            return null;
        }
        var roles = authentication.getAuthorities().stream().map(a -> a.getAuthority()).toList();
        return roles.contains("ROLE_operator") ? "operator" : roles.contains("ROLE_analyst") ? "analyst" : null;
    }

    @ModelAttribute("person")
    String person(Authentication authentication) {
        return authentication == null ? null : authentication.getName();
    }
}
