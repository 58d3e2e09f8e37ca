package org.scimgate.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scimgate.audit.DecisionQuery;
import org.scimgate.audit.DecisionView;
import org.scimgate.audit.RulesetArchive;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.PolicyRule;
import org.scimgate.policy.Ruleset;
import org.scimgate.scim.ScimUserReader;

/**
 * Explains a past decision: its stored payload evaluated again under the kept ruleset version that
 * made it (compiled by the live engine's compiler), the rules that fired with their text, and
 * whether the verdict and codes are those recorded. Where the ruleset marks attributes sensitive,
 * the stored payload lacks them, and the answer says so.
 */
public final class Explanation {

    /** A rule that fired in the re-evaluation, with its source text. */
    public record FiredRule(String name, String code, String mode, String file, String text) {
    }

    public record Explained(UUID decisionId, String rulesetVersion, String recordedOutcome, List<String> recordedCodes,
                     String verdict, List<String> codes, boolean same, List<FiredRule> firedRules,
                     boolean faithful, String payloadNote) {
    }

    /** A decision that cannot be explained: no such decision, no judged payload, or its ruleset was never kept. */
    public static final class Unexplainable extends RuntimeException {
        final boolean notFound;

        Unexplainable(String message, boolean notFound) {
            super(message);
            this.notFound = notFound;
        }
    }

    private static final Set<String> VERDICTS = Set.of("ACCEPTED", "ACCEPTED_WITH_WARNINGS", "REJECTED");

    private final DecisionQuery decisions;
    private final RulesetArchive archive;
    private final java.util.function.Function<Path, Ruleset> compiler;

    /** {@code compiler} compiles a kept ruleset written to a directory: the service's own, or the command line's. */
    Explanation(DecisionQuery decisions, RulesetArchive archive, java.util.function.Function<Path, Ruleset> compiler) {
        this.decisions = decisions;
        this.archive = archive;
        this.compiler = compiler;
    }

    /**
     * {@code audit explain <decisionId>}: prints the explanation; 0 when the verdict is the one
     * recorded, 1 when it differs or the decision cannot be explained.
     */
    public static int print(DecisionQuery decisions, RulesetArchive archive, org.scimgate.policy.RulesetCompiler compiler,
                            UUID decisionId, java.io.PrintStream out, java.io.PrintStream err) {
        Explained e;
        try {
            e = new Explanation(decisions, archive, compiler::compile).explain(decisionId);
        } catch (Unexplainable u) {
            err.println(u.getMessage());
            return 1;
        }
        out.println("Decision " + e.decisionId() + ", made by ruleset " + e.rulesetVersion() + ":");
        out.println("  recorded:        " + e.recordedOutcome() + " " + e.recordedCodes());
        out.println("  evaluated again: " + e.verdict() + " " + e.codes());
        out.println("  same: " + e.same());
        if (e.payloadNote() != null) {
            out.println(e.payloadNote());
        }
        out.println("Rules that fired:" + (e.firedRules().isEmpty() ? " none" : ""));
        for (FiredRule rule : e.firedRules()) {
            out.println();
            out.println("  " + rule.file() + ": \"" + rule.name() + "\" (" + rule.code() + ", " + rule.mode() + ")");
            if (rule.text() != null) {
                rule.text().lines().forEach(line -> out.println("    " + line));
            }
        }
        return e.same() ? 0 : 1;
    }

    public Explained explain(UUID decisionId) {
        DecisionView decision = decisions.find(decisionId)
                .orElseThrow(() -> new Unexplainable("no decision " + decisionId, true));
        if (decision.rulesetVersion() == null || decision.payload() == null || decision.payload().isNull()) {
            throw new Unexplainable("decision " + decisionId + " was not judged by the rules (outcome "
                    + decision.outcome() + "): there is nothing to explain", false);
        }
        RulesetArchive.KeptRuleset kept = archive.ruleset(decision.rulesetVersion()).orElseThrow(() -> new Unexplainable(
                "ruleset " + decision.rulesetVersion() + " that made decision " + decisionId + " was not kept (it went "
                        + "live before rulesets were kept)", false));
        Path dir = write(kept.files());
        try (Ruleset ruleset = compiler.apply(dir)) {
            JsonNode payload = decision.payload();
            boolean envelope = payload.isObject() && payload.has("eventType") && payload.has("data");
            Evaluation evaluation = ruleset.evaluate(ScimUserReader.read(envelope ? payload.get("data") : payload,
                    envelope ? "data" : "body"));
            List<String> codes = evaluation.violations().stream().map(v -> v.code()).distinct().sorted().toList();
            List<String> recordedCodes = codes(decision.violations());
            boolean same = recordedCodes.equals(codes) && (!VERDICTS.contains(decision.outcome())
                    || decision.outcome().equals(evaluation.verdict().name()));
            List<FiredRule> fired = new ArrayList<>();
            for (String name : evaluation.firedRules()) {
                PolicyRule rule = evaluation.firedRule(name);
                if (rule != null) {
                    byte[] source = kept.files().get(rule.file());
                    fired.add(new FiredRule(name, rule.code(), rule.mode().label(), rule.file(),
                            source == null ? null : ruleText(new String(source, StandardCharsets.UTF_8), name)));
                }
            }
            Set<String> read = sensitiveReads(kept.files(), ruleset.sensitiveAttributes());
            String note = ruleset.sensitiveAttributes().isEmpty() ? null
                    : read.isEmpty()
                    ? "The stored payload lacks the attributes this ruleset marks sensitive (" + String.join(", ",
                    new TreeSet<>(ruleset.sensitiveAttributes())) + "); no rule reads them, so this re-evaluation is faithful."
                    : "The stored payload is not the one judged: the audit never stores " + String.join(", ", read)
                    + ", and rules of this ruleset read " + (read.size() == 1 ? "it" : "them")
                    + "; this re-evaluation saw " + (read.size() == 1 ? "it" : "them") + " missing, so its verdict may "
                    + "differ from the recorded one for that reason alone.";
            return new Explained(decisionId, decision.rulesetVersion(), decision.outcome(), recordedCodes,
                    evaluation.verdict().name(), codes, same, fired, read.isEmpty(), note);
        } finally {
            delete(dir);
        }
    }

    private static List<String> codes(JsonNode violations) {
        Set<String> codes = new TreeSet<>();
        if (violations != null) {
            for (JsonNode v : violations) {
                if (v.hasNonNull("code")) {
                    codes.add(v.get("code").asText());
                }
            }
        }
        return List.copyOf(codes);
    }

    /** The text of {@code rule "name"} up to its {@code end}, as the analyst wrote it. */
    static String ruleText(String drl, String name) {
        Matcher m = Pattern.compile("(?ms)^\\s*rule\\s+\"" + Pattern.quote(name) + "\".*?^\\s*end\\b").matcher(drl);
        return m.find() ? m.group().strip() : null;
    }

    private static Set<String> sensitiveReads(Map<String, byte[]> files, Set<String> sensitive) {
        Set<String> read = new TreeSet<>();
        files.forEach((path, content) -> {
            if (path.endsWith(".drl") || path.endsWith(".drl.csv")) {
                String text = new String(content, StandardCharsets.UTF_8);
                for (String attribute : sensitive) {
                    if (Pattern.compile("\\b" + Pattern.quote(attribute) + "\\b", Pattern.CASE_INSENSITIVE)
                            .matcher(text).find()) {
                        read.add(attribute);
                    }
                }
            }
        });
        return read;
    }

    static Path write(Map<String, byte[]> files) {
        try {
            Path dir = Files.createTempDirectory("scimgate-kept-ruleset");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = dir.resolve(file.getKey()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IllegalStateException("a kept file's path leaves its directory: " + file.getKey());
                }
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a kept ruleset to compile it", e);
        }
    }

    static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory; nothing depends on it
        }
    }
}
