package org.scimgate.console;

import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scimgate.impact.ImpactAnalysis;
import org.scimgate.policy.RulesetRejected;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Impact: a candidate (changed files pasted over the live rules) replayed on a period of the
 * audit, as {@code POST /api/v1/policy/impact} does; the report shows the flips per rule and the
 * decisions that would change. Nothing is recorded and the live rules are not touched.
 */
@Controller
class ImpactPageController {

    static final List<String> PERIODS = List.of("24h", "7d", "30d", "90d");
    static final int FILES = 3;

    private final ImpactAnalysis analysis;

    ImpactPageController(ImpactAnalysis analysis) {
        this.analysis = analysis;
    }

    @GetMapping("/console/impact")
    String impact(Model model) {
        return page(model, "30d", List.of(), List.of());
    }

    @PostMapping("/console/impact")
    String replay(@RequestParam(defaultValue = "30d") String since,
                  @RequestParam(name = "path", required = false) List<String> paths,
                  @RequestParam(name = "content", required = false) List<String> contents, Model model)
            throws IOException, SQLException {
        List<String> p = paths == null ? List.of() : paths;
        List<String> c = contents == null ? List.of() : contents;
        String period = PERIODS.contains(since) ? since : "30d";
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(p.size(), c.size()); i++) {
            if (!p.get(i).isBlank()) {
                files.put(p.get(i).strip(), c.get(i).replace("\r\n", "\n"));
            }
        }
        if (files.isEmpty()) {
            model.addAttribute("problem", "Paste at least one changed file with its path under the rules directory.");
            return page(model, period, p, c);
        }
        try {
            model.addAttribute("report", analysis.run(period, null, null, files));
        } catch (RulesetRejected e) {
            model.addAttribute("problem", "The candidate was refused; nothing was replayed.");
            model.addAttribute("errors", e.problems().stream().map(Object::toString).toList());
        } catch (IllegalArgumentException | ImpactAnalysis.Busy e) {
            model.addAttribute("problem", e.getMessage());
        }
        return page(model, period, p, c);
    }

    private String page(Model model, String since, List<String> paths, List<String> contents) {
        model.addAttribute("periods", PERIODS);
        model.addAttribute("since", since);
        List<Map<String, String>> slots = new java.util.ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            slots.add(Map.of("path", i < paths.size() ? paths.get(i) : "",
                    "content", i < contents.size() ? contents.get(i) : ""));
        }
        model.addAttribute("slots", slots);
        return "console/impact";
    }

}
