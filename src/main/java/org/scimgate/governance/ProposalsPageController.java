package org.scimgate.governance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.scimgate.impact.ImpactAnalysis;
import org.scimgate.policy.RulesetRejected;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's Proposals page: propose a change from a pasted file, see each proposal's impact,
 * approve it as another person, or reject it with a reason; the same rules as the proposals API.
 */
@Controller
class ProposalsPageController {

    private final Proposals proposals;

    ProposalsPageController(Proposals proposals) {
        this.proposals = proposals;
    }

    @GetMapping("/console/proposals")
    String list(Model model) {
        model.addAttribute("proposals", proposals.list());
        return "console/proposals";
    }

    @GetMapping("/console/proposals/{id}")
    String one(@PathVariable UUID id, Model model) {
        proposals.find(id).ifPresentOrElse(p -> model.addAttribute("proposal", p),
                () -> model.addAttribute("problem", "No proposal " + id + "."));
        return "console/proposal";
    }

    @PostMapping("/console/proposals")
    String propose(@RequestParam String path, @RequestParam String content, @RequestParam String note,
                   @RequestParam(defaultValue = "30d") String since, Authentication who, Model model,
                   RedirectAttributes flash) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(path.strip(), content.replace("\r\n", "\n"));
        try {
            Proposals.Proposal p = proposals.propose(who.getName(), note, files, since, null, null);
            flash.addFlashAttribute("message", "Proposed: " + p.candidateVersion() + " over " + p.baseVersion()
                    + ". Another person must approve it.");
            return "redirect:/console/proposals/" + p.id();
        } catch (RulesetRejected e) {
            model.addAttribute("problem", "The proposed ruleset was refused: " + e.problems().stream()
                    .map(Object::toString).reduce((a, b) -> a + "; " + b).orElse(""));
        } catch (Proposals.Refused | IllegalArgumentException | ImpactAnalysis.Busy e) {
            model.addAttribute("problem", e.getMessage());
        } catch (java.io.IOException | java.sql.SQLException e) {
            model.addAttribute("problem", "The proposal could not be analysed: " + e.getMessage());
        }
        model.addAttribute("path", path);
        model.addAttribute("content", content);
        model.addAttribute("note", note);
        return list(model);
    }

    @PostMapping("/console/proposals/{id}/approve")
    String approve(@PathVariable UUID id, Authentication who, RedirectAttributes flash) {
        return step(id, flash, () -> proposals.approve(id, who.getName()));
    }

    @PostMapping("/console/proposals/{id}/reject")
    String reject(@PathVariable UUID id, @RequestParam(defaultValue = "") String reason, Authentication who,
                  RedirectAttributes flash) {
        return step(id, flash, () -> proposals.reject(id, who.getName(), reason));
    }

    private String step(UUID id, RedirectAttributes flash, java.util.function.Supplier<Proposals.Proposal> action) {
        try {
            Proposals.Proposal p = action.get();
            flash.addFlashAttribute("message", "Proposal " + id + " is " + p.status() + ".");
        } catch (Proposals.Refused e) {
            flash.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/console/proposals/" + id;
    }
}
