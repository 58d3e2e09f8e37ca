package org.scimgate.impact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** An impact report for a terminal, for a pull-request comment, or as JSON for a pipeline. */
enum ReportFormat {
    TEXT, JSON, MARKDOWN;

    static ReportFormat parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            case "markdown", "md" -> MARKDOWN;
            default -> throw new IllegalArgumentException("--format must be text, json or markdown, not " + value);
        };
    }

    String render(ImpactReport r) {
        return switch (this) {
            case JSON -> json(r);
            case TEXT -> text(r);
            case MARKDOWN -> markdown(r);
        };
    }

    private static String json(ImpactReport r) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(ImpactReport r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Replayed %,d decisions received %s .. %s in %,d ms (%s/s)%n",
                r.evaluated(), seconds(r.from()), seconds(r.to()), r.durationMs(), rate(r)));
        out.append(comparedWith(r, "")).append('\n');
        out.append(String.format(Locale.ROOT, "%,d change outcome, %,d more change violation codes; %,d unreadable, "
                + "%,d failed%n", r.changed(), r.codesChanged(), r.unreadable(), r.failed()));
        r.transitions().forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-45s %,d%n", k, v)));
        if (!r.byRule().isEmpty()) {
            out.append("By rule (decisions where it now fires / no longer fires):\n");
            r.byRule().forEach((code, n) -> out.append(String.format(Locale.ROOT, "  %-40s +%,d  -%,d%n", code,
                    n.nowFires(), n.noLongerFires())));
        }
        if (!r.changes().isEmpty()) {
            out.append("Changes, oldest first").append(r.truncated() ? " (first " + r.changes().size() + " of "
                    + r.changed() + ")" : "").append(":\n");
            for (ImpactReport.Change c : r.changes()) {
                out.append("  ").append(c.receivedAt()).append("  ").append(c.userName()).append("  ")
                        .append(c.before()).append(" -> ").append(c.after()).append("  ").append(codes(c))
                        .append("  decision ").append(c.decisionId()).append('\n');
            }
        }
        notFaithful(r, out);
        return out.toString();
    }

    /**
     * What the candidate was compared with: each decision as it was recorded, made by whichever ruleset
     * was live then. The newest decision's ruleset is the live one as far as the history shows, and a
     * candidate that is that very ruleset changes only decisions an older ruleset made.
     */
    static String comparedWith(ImpactReport r, String quote) {
        String compared = "Candidate ruleset " + quote + r.candidateVersion() + quote + ", compared with each decision "
                + "as it was recorded; " + (r.liveVersion() == null ? "no decision names its ruleset."
                : "the newest was made by ruleset " + quote + r.liveVersion() + quote
                + ", the service's live one as far as the history shows.");
        if (r.liveVersion() != null && r.liveVersion().equals(r.candidateVersion())) {
            compared += " The candidate is that ruleset: any change below is a decision an older ruleset (or older "
                    + "reference data) made differently.";
        }
        return compared;
    }

    private static String markdown(ImpactReport r) {
        StringBuilder out = new StringBuilder("### Policy impact: ruleset `").append(r.candidateVersion())
                .append("` replayed on ").append(String.format(Locale.ROOT, "%,d", r.evaluated()))
                .append(" past decisions\n\n");
        out.append(String.format(Locale.ROOT, "**%,d** change outcome, %,d more change violation codes "
                + "(%s .. %s; %,d unreadable, %,d failed).%n%n", r.changed(), r.codesChanged(),
                seconds(r.from()), seconds(r.to()), r.unreadable(), r.failed()));
        out.append(comparedWith(r, "`")).append("\n\n");
        if (!r.transitions().isEmpty()) {
            out.append("| Outcome | Decisions |\n|---|---:|\n");
            r.transitions().forEach((k, v) -> out.append("| ").append(k.replace("->", "→")).append(" | ")
                    .append(v).append(" |\n"));
            out.append('\n');
        }
        if (!r.byRule().isEmpty()) {
            out.append("| Rule code | Now fires | No longer fires |\n|---|---:|---:|\n");
            r.byRule().forEach((code, n) -> out.append("| `").append(code).append("` | ").append(n.nowFires())
                    .append(" | ").append(n.noLongerFires()).append(" |\n"));
            out.append('\n');
        }
        if (!r.changes().isEmpty()) {
            out.append("<details><summary>Changed decisions").append(r.truncated() ? " (first " + r.changes().size()
                    + " of " + r.changed() + ")" : "").append("</summary>\n\n");
            out.append("| Received | User | Before | After | Codes | Decision |\n|---|---|---|---|---|---|\n");
            for (ImpactReport.Change c : r.changes()) {
                out.append("| ").append(c.receivedAt()).append(" | ").append(cell(c.userName())).append(" | ")
                        .append(c.before()).append(" | ").append(c.after()).append(" | ").append(codes(c))
                        .append(" | `").append(c.decisionId()).append("` |\n");
            }
            out.append("\n</details>\n");
        }
        StringBuilder warning = new StringBuilder();
        notFaithful(r, warning);
        if (!warning.isEmpty()) {
            out.append("\n> **Warning:** ").append(warning.toString().strip()).append('\n');
        }
        return out.toString();
    }

    private static void notFaithful(ImpactReport r, StringBuilder out) {
        if (r.notFaithful() != null) {
            out.append("Not replayed faithfully: ").append(String.join(", ", r.notFaithful().files())).append(" read ")
                    .append(String.join(", ", r.notFaithful().attributes())).append(", which ")
                    .append(r.notFaithful().reason().substring(r.notFaithful().reason().indexOf("are removed")))
                    .append('\n');
        }
        if (r.firstFailure() != null) {
            out.append("First failure: ").append(r.firstFailure()).append('\n');
        }
    }

    private static String codes(ImpactReport.Change c) {
        List<String> all = new java.util.ArrayList<>();
        c.codesAdded().forEach(code -> all.add("+" + code));
        c.codesRemoved().forEach(code -> all.add("-" + code));
        return all.stream().collect(Collectors.joining(" "));
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    private static String seconds(String instant) {
        return java.time.Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static String rate(ImpactReport r) {
        return r.durationMs() == 0 ? "-" : String.format(Locale.ROOT, "%,d", r.evaluated() * 1000 / r.durationMs());
    }
}
