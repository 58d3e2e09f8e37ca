package org.scimgate.impact;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.RulesCommand;
import org.scimgate.policy.RulesetCompiler;
import org.scimgate.policy.RulesetRejected;

/**
 * {@code java -jar scimgate.jar rules replay}: what a candidate ruleset would have decided on the
 * decisions already made. The candidate is checked exactly as a reload checks the live rules
 * (compiles, stays within the capability allow-list, its examples pass) before any of it runs.
 */
public final class ReplayCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int REFUSED = 2;
    public static final int CHANGED = 3;
    public static final int USAGE = 64;

    private static final String HELP = """
            Usage: java -jar scimgate.jar rules replay --rules DIR [--since 30d | --from T [--to T]]
                                                       [--format text|json|markdown] [--fail-on-change] [--allow E]...
              Re-evaluates the judged decisions (ACCEPTED, ACCEPTED_WITH_WARNINGS, REJECTED) received in the
              window with the candidate rules in DIR and reports what would change. T is an instant
              (2026-11-01T00:00:00Z) or a date (2026-11-01). History from SPRING_DATASOURCE_URL/_USERNAME/_PASSWORD,
              else the embedded database of SCIMGATE_DATA_DIR (./data), whether or not the service runs.
              The candidate must stay within the allow-list rules check uses (SCIMGATE_POLICY_ALLOWED_TYPES, --allow).
            Exit codes: 0 done, 1 the history could not be read, 2 the candidate was refused,
              3 something changed and --fail-on-change was given, 64 usage.""";

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;
    private final Clock clock;

    public ReplayCommand(PrintStream out, PrintStream err, Function<String, String> env, Clock clock) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.clock = clock;
    }

    public int run(List<String> arguments) {
        List<String> args = new java.util.ArrayList<>(arguments);
        Options options;
        RulesetCompiler compiler;
        try {
            compiler = RulesCommand.compiler(args); // the allow-list of rules check|test, and --allow
            options = Options.parse(args, clock);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + HELP);
            return USAGE;
        }
        // The database starts (or is reached) while the candidate compiles.
        CompletableFuture<HistoryDatabase> database = CompletableFuture.supplyAsync(() -> {
            try {
                return HistoryDatabase.open(env);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        try (PolicyEngine candidate = PolicyEngine.load(options.rules(), clock, compiler)) {
            try (HistoryDatabase history = database.join()) {
                DecisionHistory decisions = new DecisionHistory(history.connection());
                ImpactReport report = new Replay(candidate.ruleset(), new ObjectMapper()).run(decisions,
                        options.window(), decisions.newestVersion(),
                        SensitiveReads.find(options.rules(), candidate.ruleset().sensitiveAttributes()));
                out.print(options.format().render(report));
                out.flush();
                return options.failOnChange() && report.anythingChanged() ? CHANGED : OK;
            }
        } catch (RulesetRejected e) {
            e.problems().forEach(err::println);
            err.println("The candidate ruleset in " + options.rules() + " was refused: " + e.problems().size()
                    + " error(s). Nothing was replayed.");
            closeQuietly(database);
            return REFUSED;
        } catch (CompletionException e) {
            err.println("Cannot read the decision history: " + e.getCause().getMessage());
            return FAILED;
        } catch (java.sql.SQLException | java.io.IOException e) {
            err.println("Cannot read the decision history: " + e.getMessage());
            return FAILED;
        }
    }

    private static void closeQuietly(CompletableFuture<HistoryDatabase> database) {
        try {
            database.join().close();
        } catch (Exception ignored) {
            // the history was never needed
        }
    }

    record Options(Path rules, ReplayWindow window, ReportFormat format, boolean failOnChange) {

        static Options parse(List<String> args, Clock clock) {
            String rules = null;
            String since = null;
            String from = null;
            String to = null;
            ReportFormat format = ReportFormat.TEXT;
            boolean failOnChange = false;
            for (int i = 0; i < args.size(); i++) {
                String option = args.get(i);
                if (option.equals("--fail-on-change")) {
                    failOnChange = true;
                    continue;
                }
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("Missing a value after " + option);
                }
                String value = args.get(++i);
                switch (option) {
                    case "--rules" -> rules = value;
                    case "--since" -> since = value;
                    case "--from" -> from = value;
                    case "--to" -> to = value;
                    case "--format" -> format = ReportFormat.parse(value);
                    default -> throw new IllegalArgumentException("Unknown option " + option);
                }
            }
            if (rules == null) {
                throw new IllegalArgumentException("replay needs --rules DIR, the candidate rules");
            }
            return new Options(Path.of(rules), ReplayWindow.of(since, from, to, clock), format, failOnChange);
        }
    }
}
