package org.scimgate.governance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.scimgate.audit.RulesetArchive;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/rulesets}: every ruleset that went live, its files and provenance, and diffs between two. */
@RestController
class RulesetsController {

    private final RulesetArchive archive;

    RulesetsController(RulesetArchive archive) {
        this.archive = archive;
    }

    /** What made a version live and who: the author and approver of a proposal. */
    record ProvenanceView(String cause, String author, String approver, UUID proposalId) {
        static ProvenanceView of(RulesetArchive.Provenance p) {
            return new ProvenanceView(p.cause(), p.author(), p.approver(), p.proposalId());
        }
    }

    record VersionView(String version, String kind, ProvenanceView provenance, Instant liveFrom, Instant liveUntil,
                       List<String> files) {
        static VersionView of(RulesetArchive.KeptVersion v) {
            return new VersionView(v.version(), v.kind(), ProvenanceView.of(v.provenance()), v.liveFrom(), v.liveUntil(),
                    List.copyOf(v.files().keySet()));
        }
    }

    record FileView(String path, String sha256, String content) {
    }

    record RulesetView(String version, String kind, ProvenanceView provenance, Instant liveFrom, Instant liveUntil,
                       List<FileView> files) {
    }

    /** A version that was never kept. */
    static final class UnknownRuleset extends RuntimeException {
        UnknownRuleset(String version) {
            super("no kept ruleset " + version + "; GET /api/v1/rulesets lists them");
        }
    }

    @GetMapping("/api/v1/rulesets")
    Map<String, Object> list() {
        return Map.of("versions", archive.versions().stream().map(VersionView::of).toList());
    }

    @GetMapping("/api/v1/rulesets/{version}")
    RulesetView ruleset(@PathVariable String version) {
        RulesetArchive.KeptRuleset kept = archive.ruleset(version).orElseThrow(() -> new UnknownRuleset(version));
        RulesetArchive.KeptVersion v = kept.version();
        List<FileView> files = v.files().entrySet().stream().map(f -> new FileView(f.getKey(), f.getValue(),
                kept.files().get(f.getKey()) == null ? null
                        : new String(kept.files().get(f.getKey()), StandardCharsets.UTF_8))).toList();
        return new RulesetView(v.version(), v.kind(), ProvenanceView.of(v.provenance()), v.liveFrom(), v.liveUntil(), files);
    }

    @GetMapping("/api/v1/rulesets/{a}/diff/{b}")
    Map<String, Object> diff(@PathVariable String a, @PathVariable String b) {
        Map<String, byte[]> from = archive.ruleset(a).orElseThrow(() -> new UnknownRuleset(a)).files();
        Map<String, byte[]> to = archive.ruleset(b).orElseThrow(() -> new UnknownRuleset(b)).files();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("from", a);
        answer.put("to", b);
        answer.put("files", RulesetDiff.between(a, from, b, to));
        return answer;
    }

    @ExceptionHandler(UnknownRuleset.class)
    ProblemDetail unknown(UnknownRuleset e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
