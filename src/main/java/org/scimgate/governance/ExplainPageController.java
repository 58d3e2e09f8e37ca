package org.scimgate.governance;

import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The console's explanation of a decision: what {@code GET /api/v1/decisions/{id}/explain} answers, as a page. */
@Controller
class ExplainPageController {

    private final Explanation explanation;

    ExplainPageController(Explanation explanation) {
        this.explanation = explanation;
    }

    @GetMapping("/console/decisions/{decisionId}/explain")
    String explain(@PathVariable UUID decisionId, Model model) {
        model.addAttribute("decisionId", decisionId);
        try {
            model.addAttribute("explained", explanation.explain(decisionId));
        } catch (Explanation.Unexplainable e) {
            model.addAttribute("problem", e.getMessage());
        }
        return "console/explain";
    }
}
