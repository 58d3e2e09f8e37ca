package org.scimgate.console;

import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.ShadowRuleset;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every console page shows in its header: the signed-in person and their role (the outbox page asks the role
 * too), and a banner while an edit of the rules (live or shadow) stands refused.
 */
@ControllerAdvice(assignableTypes = {ConsoleController.class, DecisionsController.class,
        PolicyPageController.class, OutboxPageController.class, ImpactPageController.class})
class ConsoleModel {

    private final PolicyEngine engine;
    private final ShadowRuleset shadow;

    ConsoleModel(PolicyEngine engine, ShadowRuleset shadow) {
        this.engine = engine;
        this.shadow = shadow;
    }

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

    @ModelAttribute("refusedReload")
    PolicyEngine.RejectedReload refusedReload() {
        return engine.standingRejection();
    }

    @ModelAttribute("refusedShadowReload")
    PolicyEngine.RejectedReload refusedShadowReload() {
        return shadow.configured() ? shadow.standingRejection() : null;
    }

    @ModelAttribute("liveVersion")
    String liveVersion() {
        return engine.ruleset().version();
    }
}
