package org.scimgate.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUserReader;

/**
 * {@code java -jar scimgate.jar rules check|test|eval}: the analysts' command line. Needs no
 * database and no server; exits non-zero when the rules do not compile or an example fails.
 */
public final class RulesCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 64;

    private static final String HELP = """
            Usage: java -jar scimgate.jar rules [--allow <entry>]... <command>
              check [dir]                 compile the rules; errors as file:line:column message
              test [dir]                  run every rule's examples; pass or fail per example
              eval <payload.json> [dir]   the decision for a SCIM user or webhook envelope, and the rules that fired
              replay --rules DIR [...]    what a candidate would have decided on past decisions (rules replay for help)
            dir defaults to $SCIMGATE_RULES_DIR, else ./rules. A payload of - is read from standard input.
            Rules may use only the built-in allow-list and the service's extra entries, read as the service
            reads them: $SCIMGATE_POLICY_ALLOWED_TYPES or -Dscimgate.policy.allowed-types (comma-separated),
            plus any --allow entry (a type, com.acme.*, com.acme.** or com.acme.Util#parse). One evaluation
            may run for $SCIMGATE_POLICY_EVALUATION_TIMEOUT (default 2s).""";

    private final PrintStream out;
    private final PrintStream err;
    private final ObjectMapper json = new ObjectMapper();
    private RulesetCompiler compiler;

    public RulesCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(List<String> arguments) {
        List<String> args = new java.util.ArrayList<>(arguments);
        try {
            compiler = RulesLimits.compiler(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        if (args.isEmpty()) {
            err.println(HELP);
            return USAGE;
        }
        try {
            return switch (args.get(0)) {
                case "check" -> args.size() <= 2 ? check(dir(args, 1)) : usage();
                case "test" -> args.size() <= 2 ? test(dir(args, 1)) : usage();
                case "eval" -> args.size() == 2 || args.size() == 3 ? eval(args.get(1), dir(args, 2)) : usage();
                default -> usage();
            };
        } catch (RulesetRejected e) {
            e.problems().forEach(p -> err.println(p));
            err.println("The ruleset has " + e.problems().size() + " error(s).");
            return FAILED;
        } catch (EvaluationTimedOut e) {
            err.println("No decision: " + e.getMessage() + ".");
            return FAILED;
        }
    }

    private int usage() {
        err.println(HELP);
        return USAGE;
    }

    private int check(Path dir) {
        try (Ruleset ruleset = compile(dir)) {
            out.println("OK: ruleset " + ruleset.version() + " compiles, " + ruleset.rules().size() + " rules from " + dir);
            for (PolicyRule rule : ruleset.rules()) {
                out.println("  " + rule.code() + " [" + rule.mode().label() + ", " + rule.severity().name().toLowerCase()
                        + "] \"" + rule.name() + "\" (" + rule.file() + ")");
            }
            return OK;
        }
    }

    private int test(Path dir) {
        try (Ruleset ruleset = compile(dir)) {
            ExampleReport report = Examples.run(ruleset);
            report.results().forEach(out::println);
            report.problems().forEach(p -> out.println("FAIL " + p));
            long failed = report.failures().size() + report.problems().size();
            out.println((report.results().size() - report.failures().size()) + " passed, " + failed + " failed");
            return report.passed() ? OK : FAILED;
        }
    }

    private int eval(String payload, Path dir) {
        JsonNode root;
        try {
            root = json.readTree("-".equals(payload) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(payload)));
        } catch (JsonProcessingException e) {
            err.println(payload + " is not valid JSON: " + e.getOriginalMessage());
            return FAILED;
        } catch (IOException e) {
            err.println("Cannot read " + payload + ": " + e.getMessage());
            return FAILED;
        }
        try (Ruleset ruleset = compile(dir)) {
            boolean envelope = root != null && root.has("data") && root.has("eventType");
            Evaluation evaluation = ruleset.evaluate(ScimUserReader.read(envelope ? root.get("data") : root,
                    envelope ? "data" : "user"));
            out.println("decision: " + evaluation.verdict() + " (ruleset " + ruleset.version() + ")");
            out.println("violations:" + (evaluation.violations().isEmpty() ? " none" : ""));
            for (PolicyViolation v : evaluation.violations()) {
                out.println("  " + v.code() + " [" + v.mode().label() + "] " + v.field() + ": " + v.message());
            }
            out.println("rules fired:" + (evaluation.firedRules().isEmpty() ? " none" : ""));
            evaluation.firedRules().forEach(r -> out.println("  \"" + r + "\""));
            return OK;
        } catch (MalformedPayload e) {
            err.println("Not a readable SCIM user: " + e.detail());
            return FAILED;
        }
    }

    /**
     * The compiler the {@code rules} commands use, with the service's allow-list and evaluation
     * timeout; removes any {@code --allow} options from {@code args}, which must be mutable.
     */
    public static RulesetCompiler compiler(List<String> args) {
        return RulesLimits.compiler(args);
    }

    private Ruleset compile(Path dir) {
        return compiler.compile(dir);
    }

    private static Path dir(List<String> args, int index) {
        if (args.size() > index) {
            return Path.of(args.get(index));
        }
        String env = System.getenv("SCIMGATE_RULES_DIR");
        return Path.of(env == null || env.isBlank() ? "./rules" : env);
    }
}
