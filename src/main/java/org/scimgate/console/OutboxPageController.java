package org.scimgate.console;

import java.util.UUID;
import org.scimgate.siem.Outbox;
import org.scimgate.siem.SiemDestinations;
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
 * Where the records go (each sink and its destination) and what the SIEM has not received: pending and DEAD records with the SIEM's last answer. An
 * operator re-drives a DEAD record through the outbox itself, as the outbox API does; the security
 * chain refuses that POST to an analyst.
 */
@Controller
class OutboxPageController {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPageController.class);
    private static final int SHOWN = 100;

    private final Outbox outbox;
    private final SiemDestinations destinations;

    OutboxPageController(Outbox outbox, SiemDestinations destinations) {
        this.outbox = outbox;
        this.destinations = destinations;
    }

    @GetMapping("/console/outbox")
    String outbox(Model model) {
        model.addAttribute("sinks", destinations.all());
        model.addAttribute("dead", outbox.list("DEAD", SHOWN));
        model.addAttribute("pending", outbox.list("PENDING", SHOWN));
        model.addAttribute("deadCount", outbox.count("DEAD"));
        model.addAttribute("pendingCount", outbox.count("PENDING"));
        return "console/outbox";
    }

    @PostMapping("/console/outbox/{decisionId}/redrive")
    String redrive(@PathVariable UUID decisionId, Authentication who, RedirectAttributes flash) {
        boolean redriven = outbox.redrive(decisionId);
        if (redriven) {
            LOG.info("Outbox record {} re-driven from the console by {}", decisionId, who.getName());
        }
        flash.addFlashAttribute("message", redriven ? "Re-driven " + decisionId + ": it is pending again."
                : "No DEAD record " + decisionId + " (already re-driven?).");
        return "redirect:/console/outbox";
    }
}
