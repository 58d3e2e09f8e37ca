package org.scimgate.governance;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scimgate.audit.RulesetArchive;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The console's Rulesets page: every version that went live, each version's files, a diff between any two. */
@Controller
class RulesetsPageController {

    private final RulesetArchive archive;

    RulesetsPageController(RulesetArchive archive) {
        this.archive = archive;
    }

    @GetMapping("/console/rulesets")
    String rulesets(@RequestParam(required = false) String from, @RequestParam(required = false) String to, Model model) {
        model.addAttribute("versions", archive.versions());
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        if (from != null && to != null) {
            var a = archive.ruleset(from);
            var b = archive.ruleset(to);
            if (a.isEmpty() || b.isEmpty()) {
                model.addAttribute("problem", "No kept ruleset " + (a.isEmpty() ? from : to) + ".");
            } else {
                model.addAttribute("diff", RulesetDiff.between(from, a.get().files(), to, b.get().files()));
            }
        }
        return "console/rulesets";
    }

    @GetMapping("/console/rulesets/{version}")
    String ruleset(@PathVariable String version, Model model) {
        model.addAttribute("version", version);
        archive.ruleset(version).ifPresentOrElse(kept -> {
            model.addAttribute("kept", kept.version());
            Map<String, String> files = new LinkedHashMap<>();
            kept.files().forEach((path, content) -> files.put(path,
                    content == null ? "(missing from the store)" : new String(content, StandardCharsets.UTF_8)));
            model.addAttribute("files", files);
        }, () -> model.addAttribute("problem", "No kept ruleset " + version + "."));
        return "console/ruleset";
    }
}
