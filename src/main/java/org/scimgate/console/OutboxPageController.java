package org.scimgate.console;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Where the records go (each sink, its destination and its own backlog) and what the sinks have not received:
 * pending and DEAD records, each sink's apart, with the SIEM's last answer. An
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
        Map<String, Outbox.SinkStats> stats = outbox.statsBySink();
        model.addAttribute("sinkStats", stats);
        Set<String> configured = destinations.all().stream().map(SiemDestinations.Destination::name).collect(Collectors.toSet());
        model.addAttribute("unconfigured", stats.values().stream()
                .filter(s -> !configured.contains(s.sink()) && (s.pending() > 0 || s.dead() > 0)).toList());
        model.addAttribute("dead", outbox.list("DEAD", SHOWN));
        model.addAttribute("pending", outbox.list("PENDING", SHOWN));
        model.addAttribute("deadCount", outbox.count("DEAD"));
        model.addAttribute("pendingCount", outbox.count("PENDING"));
        return "console/outbox";
    }

    @PostMapping("/console/outbox/{decisionId}/redrive")
    String redrive(@PathVariable UUID decisionId, @RequestParam(required = false) String sink, Authentication who,
                   RedirectAttributes flash) {
        boolean redriven = outbox.redrive(decisionId, sink == null || sink.isBlank() ? null : sink);
        if (redriven) {
            LOG.info("Outbox record {} re-driven for sink {} from the console by {}", decisionId,
                    sink == null || sink.isBlank() ? "(every sink)" : sink, who.getName());
        }
        flash.addFlashAttribute("message", redriven ? "Re-driven " + decisionId + ": it is pending again."
                : "No DEAD record " + decisionId + " (already re-driven?).");
        return "redirect:/console/outbox";
    }
}
