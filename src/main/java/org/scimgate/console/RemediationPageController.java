package org.scimgate.console;

import java.util.UUID;
import org.scimgate.remediation.Remediations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * What scimgate did or would do to accounts Genesys holds: held (past the hourly cap), failed and
 * done actions. An operator releases or cancels a held action, or retries a failed one, through the
 * remediation module as its API does; the security chain refuses those POSTs to an analyst.
 */
@Controller
class RemediationPageController {

    private static final Logger LOG = LoggerFactory.getLogger(RemediationPageController.class);
    private static final int SHOWN = 100;

    private final Remediations remediations;

    RemediationPageController(Remediations remediations) {
        this.remediations = remediations;
    }

    @GetMapping("/console/remediation")
    String remediation(Model model) {
        model.addAttribute("figures", remediations.figures());
        model.addAttribute("held", remediations.list("HELD", SHOWN));
        model.addAttribute("failed", java.util.stream.Stream.concat(remediations.list("FAILED", SHOWN).stream(),
                remediations.list("DEAD", SHOWN).stream()).toList());
        model.addAttribute("pending", remediations.list("PENDING", SHOWN));
        model.addAttribute("done", java.util.stream.Stream.of("DONE", "DRYRUN", "SKIPPED", "CANCELLED")
                .flatMap(s -> remediations.list(s, SHOWN).stream())
                .sorted(java.util.Comparator.comparing(org.scimgate.remediation.RemediationAction::updatedAt).reversed())
                .limit(SHOWN).toList());
        return "console/remediation";
    }

    @PostMapping("/console/remediation/{id}/release")
    String release(@PathVariable UUID id, Authentication who, RedirectAttributes flash) {
        return changed(id, remediations.release(id), "Released", "no HELD action", who, flash);
    }

    @PostMapping("/console/remediation/{id}/retry")
    String retry(@PathVariable UUID id, Authentication who, RedirectAttributes flash) {
        return changed(id, remediations.retry(id), "Retried", "no FAILED or DEAD action", who, flash);
    }

    @PostMapping("/console/remediation/{id}/cancel")
    String cancel(@PathVariable UUID id, Authentication who, RedirectAttributes flash) {
        return changed(id, remediations.cancel(id, who.getName()), "Cancelled",
                "no action that can be cancelled now", who, flash);
    }

    private static String changed(UUID id, boolean changed, String done, String missing, Authentication who,
                                  RedirectAttributes flash) {
        if (changed) {
            LOG.info("Remediation action {}: {} from the console by the {} role", id, done.toLowerCase(), who.getName());
        }
        flash.addFlashAttribute("message", changed ? done + " " + id + "." : "There is " + missing + " " + id + ".");
        return "redirect:/console/remediation";
    }
}
