package org.scimgate.governance;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The signed-in person and role on the governance pages of the console, for the shared header. */
@ControllerAdvice(assignableTypes = {ExplainPageController.class, RulesetsPageController.class,
        ProposalsPageController.class})
class ConsoleIdentity {

    @ModelAttribute("person")
    String person(Authentication authentication) {
        return authentication == null ? null : authentication.getName();
    }

    @ModelAttribute("role")
    String role(Authentication authentication) {
        if (authentication == null) {
            return null;
        }
        return authentication.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_operator"))
                ? "operator" : "analyst";
    }
}
