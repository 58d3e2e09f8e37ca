package org.scimgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.nio.file.Path;
import java.util.List;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUserReader;

/**
 * {@code scimgate rules check|test|eval}: what the analysts' command line does, with its arguments
 * already parsed (the command line itself, its help and its errors, is {@code org.scimgate.cli}).
 * Needs no database and no server; answers non-zero when the rules do not compile or an example fails.
 */
public final class RulesCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    /** {@code eval --fail-on-refusal} judged the user REJECTED. */
    public static final int REFUSED = 3;

    private final PrintStream out;
    private final PrintStream err;
    private final RulesetCompiler compiler;
    private final ObjectMapper json = new ObjectMapper();

    public RulesCommand(PrintStream out, PrintStream err, RulesetCompiler compiler) {
        this.out = out;
        this.err = err;
        this.compiler = compiler;
    }

    /**
     * The compiler the {@code rules} commands use: the service's allow-list and evaluation timeout,
     * read as the service reads them, with the {@code --allow} entries added.
     *
     * @throws IllegalArgumentException when an entry or a setting is malformed
     */
    public static RulesetCompiler compiler(List<String> allow) {
        return RulesLimits.compiler(allow);
    }

    /**
     * Checks the rules in {@code dir} exactly as the service loads them (they compile, stay within
     * the allow-list, and every rule has examples that pass), and lists them: OK means the service
     * would take them.
     */
    public int check(Path dir) {
        return refusalsReported(() -> listed(dir));
    }

    /** Runs every rule's examples: pass or fail per example. */
    public int test(Path dir) {
        return refusalsReported(() -> tested(dir));
    }

    /**
     * Runs every rule's examples and writes them as JUnit XML (one test case per example) to
     * standard output; exit code as {@link #test(Path)}.
     */
    public int testAsJUnit(Path dir) {
        return refusalsReported(() -> {
            try (Ruleset ruleset = compile(dir)) {
                ExampleReport report = Examples.run(ruleset);
                JUnitReport.write(ruleset.version(), report, out);
                out.flush();
                return report.passed() ? OK : FAILED;
            }
        });
    }

    /**
     * Lists rules whose examples miss an allowed or a disallowed case and, given the names of the
     * rules that fired in the stored history (null: not known), rules that never fired there.
     * Exit {@link #FAILED} when any rule has a gap.
     */
    public int coverage(Path dir, java.util.Set<String> firedInHistory) {
        return refusalsReported(() -> {
            try (Ruleset ruleset = compile(dir)) {
                return ExampleCoverage.print(ruleset, firedInHistory, out) == 0 ? OK : FAILED;
            }
        });
    }

    /**
     * The decision for a SCIM user or webhook envelope ({@code -} reads standard input), and the
     * rules that fired; with {@code failOnRefusal}, a REJECTED user answers {@link #REFUSED}.
     */
    public int eval(String payload, Path dir, boolean failOnRefusal, InputStream stdin) {
        return refusalsReported(() -> evaluated(payload, dir, failOnRefusal, stdin));
    }

    private int refusalsReported(java.util.function.IntSupplier command) {
        try {
            return command.getAsInt();
        } catch (RulesetRejected e) {
            e.problems().forEach(p -> err.println(p));
            err.println("The ruleset has " + e.problems().size() + " error(s).");
            return FAILED;
        } catch (EvaluationTimedOut e) {
            err.println("No decision: " + e.getMessage() + ".");
            return FAILED;
        }
    }

    private int listed(Path dir) {
        try (PolicyEngine engine = PolicyEngine.load(dir, Clock.systemUTC(), compiler)) {
            Ruleset ruleset = engine.ruleset();
            out.println("OK: ruleset " + ruleset.version() + " loads as the service loads it (compiles, stays within "
                    + "the allow-list, every rule's examples pass), " + ruleset.rules().size() + " rules from " + dir);
            for (PolicyRule rule : ruleset.rules()) {
                out.println("  " + rule.code() + " [" + rule.mode().label() + ", " + rule.severity().name().toLowerCase()
                        + "] \"" + rule.name() + "\" (" + rule.file() + ")");
            }
            return OK;
        }
    }

    private int tested(Path dir) {
        try (Ruleset ruleset = compile(dir)) {
            ExampleReport report = Examples.run(ruleset);
            report.results().forEach(out::println);
            report.problems().forEach(p -> out.println("FAIL " + p));
            long failed = report.failures().size() + report.problems().size();
            out.println((report.results().size() - report.failures().size()) + " passed, " + failed + " failed");
            return report.passed() ? OK : FAILED;
        }
    }

    private int evaluated(String payload, Path dir, boolean failOnRefusal, InputStream stdin) {
        JsonNode root;
        try {
            root = PayloadFile.read(payload, stdin, json);
        } catch (PayloadFile.Unreadable e) {
            err.println(e.getMessage());
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
            return failOnRefusal && evaluation.verdict() == Verdict.REJECTED ? REFUSED : OK;
        } catch (MalformedPayload e) {
            err.println("Not a readable SCIM user: " + e.detail());
            return FAILED;
        }
    }

    private Ruleset compile(Path dir) {
        return compiler.compile(dir);
    }
}
