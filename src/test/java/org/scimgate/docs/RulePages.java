package org.scimgate.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.RuleExample;
import org.scimgate.policy.Ruleset;
import org.scimgate.policy.RulesetCompiler;

/**
 * Generates the docs' rule pages from a rules directory, as gatekeeper-library generates a page
 * per policy: one page per violation code ({@code docs/policy/rules/<code>.md}) with each rule
 * that reports it (name, severity, mode, description, source, examples) and an index of every
 * live rule. The rules are read by the service's own compiler, so DRL files and decision tables
 * alike, and a new rule or folder needs no change here.
 */
final class RulePages {

    static final String REGENERATE = "./mvnw -q -Dtest=RulePagesTest -Dscimgate.docs.write=true test";
    private static final String GENERATED = "<!-- Generated from rules/ by RulePagesTest; do not edit. To regenerate: "
            + REGENERATE + " -->";

    private final Path rules;
    private final String rulesLink;
    private Map<String, String> pages;
    private List<PolicyRule> compiled;

    /**
     * @param rules     the rules directory
     * @param rulesLink the rules directory as a link from the generated pages' folder
     */
    RulePages(Path rules, String rulesLink) {
        this.rules = rules;
        this.rulesLink = rulesLink;
    }

    /** Every generated page, by file name, in the order they are written. */
    synchronized Map<String, String> pages() {
        if (pages == null) {
            generate();
        }
        return pages;
    }

    /** The rules the pages were generated from, as the compiler read them. */
    synchronized List<PolicyRule> rules() {
        pages();
        return compiled;
    }

    private void generate() {
        try (Ruleset ruleset = new RulesetCompiler(Clock.systemUTC()).compile(rules)) {
            Map<String, List<PolicyRule>> byCode = new TreeMap<>();
            ruleset.rules().forEach(rule -> byCode.computeIfAbsent(rule.code(), c -> new ArrayList<>()).add(rule));
            Map<String, String> pages = new LinkedHashMap<>();
            pages.put("README.md", index(ruleset.rules(), byCode));
            byCode.forEach((code, rules) -> pages.put(code + ".md", page(code, rules, ruleset.examplesByRule())));
            this.pages = java.util.Collections.unmodifiableMap(pages);
            this.compiled = List.copyOf(ruleset.rules());
        }
    }

    /** Writes the pages into a folder and removes pages of codes no rule reports any more. */
    void write(Path folder) throws IOException {
        Map<String, String> pages = pages();
        Files.createDirectories(folder);
        try (var old = Files.list(folder)) {
            for (Path file : old.filter(p -> p.toString().endsWith(".md")).toList()) {
                if (!pages.containsKey(file.getFileName().toString())) {
                    Files.delete(file);
                }
            }
        }
        for (var page : pages.entrySet()) {
            Files.writeString(folder.resolve(page.getKey()), page.getValue());
        }
    }

    private String index(List<PolicyRule> all, Map<String, List<PolicyRule>> byCode) {
        StringBuilder md = new StringBuilder("# The rules in force\n\n").append(GENERATED).append("\n\n");
        md.append("Every rule of [`rules/`](").append(rulesLink).append("), ").append(all.size())
                .append(" rules reporting ").append(byCode.size()).append(" violation codes. Each code's page has its rules'\n")
                .append("examples. How to write and change them: [writing rules](../writing-rules.md).\n\n");
        md.append("| Code | Rule | Severity | Mode | Source |\n|---|---|---|---|---|\n");
        for (var entry : byCode.entrySet()) {
            for (PolicyRule rule : entry.getValue()) {
                md.append("| [`").append(entry.getKey()).append("`](").append(entry.getKey()).append(".md) | ")
                        .append(cell(rule.name())).append(" | ").append(rule.severity().name().toLowerCase())
                        .append(" | ").append(rule.mode().label()).append(" | ").append(source(rule)).append(" |\n");
            }
        }
        return md.toString();
    }

    private String page(String code, List<PolicyRule> rules, Map<String, List<RuleExample>> examples) {
        StringBuilder md = new StringBuilder("# `").append(code).append("`\n\n").append(GENERATED).append("\n\n");
        md.append(rules.size() == 1 ? "One rule reports" : rules.size() + " rules report")
                .append(" this code. Back to [the rules in force](README.md).\n");
        for (PolicyRule rule : rules) {
            md.append("\n## ").append(rule.name()).append("\n\n");
            if (!rule.description().isBlank()) {
                md.append(rule.description().strip()).append("\n\n");
            }
            md.append("| Severity | Mode | Source |\n|---|---|---|\n| ").append(rule.severity().name().toLowerCase())
                    .append(" | ").append(rule.mode().label()).append(" | ").append(source(rule)).append(" |\n\n");
            String text = sourceText(rule);
            if (!text.isEmpty()) {
                md.append("```").append(rule.file().endsWith(".drl") ? "drl" : "csv").append('\n').append(text)
                        .append("\n```\n\n");
            }
            List<RuleExample> own = examples.getOrDefault(rule.name(), List.of());
            examples(md, "Allowed", own.stream().filter(e -> e.kind().equals("allowed")).toList());
            examples(md, "Refused", own.stream().filter(e -> e.kind().equals("disallowed")).toList());
        }
        return md.toString().stripTrailing() + "\n";
    }

    private static void examples(StringBuilder md, String title, List<RuleExample> examples) {
        if (examples.isEmpty()) {
            return;
        }
        md.append("### ").append(title).append("\n\n");
        for (RuleExample example : examples) {
            md.append("- ").append(example.name());
            if (!example.expect().isEmpty()) {
                md.append(": expects ").append(String.join(", ", example.expect().stream().map(c -> "`" + c + "`").toList()));
            }
            md.append("\n\n  ```json\n  ").append(visible(example.user())).append("\n  ```\n\n");
            if (example.membership() != null) {
                md.append("  joining or leaving a group:\n\n  ```json\n  ").append(visible(example.membership()))
                        .append("\n  ```\n\n");
            }
        }
    }

    private String source(PolicyRule rule) {
        return rule.file() == null ? "" : "[`" + rule.file() + "`](" + rulesLink + rule.file() + ")";
    }

    /** The rule's text in its DRL file, or its row in a CSV decision table; empty when neither is found. */
    private String sourceText(PolicyRule rule) {
        Path file = rule.file() == null ? null : rules.resolve(rule.file());
        if (file == null || !Files.isRegularFile(file)) {
            return "";
        }
        String text = read(file);
        if (rule.file().endsWith(".drl")) {
            Matcher m = Pattern.compile("(?ms)^rule\\s+\"" + Pattern.quote(rule.name()) + "\".*?^end\\b").matcher(text);
            return m.find() ? m.group() : "";
        }
        if (rule.file().endsWith(".csv")) {
            return text.lines().filter(l -> l.startsWith(rule.name() + ",") || l.startsWith("\"" + rule.name() + "\","))
                    .findFirst().orElse("");
        }
        return "";
    }

    /** Invisible and bidi-control characters as JSON escapes, so a page shows what an example holds. */
    private static String visible(String json) {
        StringBuilder out = new StringBuilder();
        json.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.FORMAT || type == Character.CONTROL || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
