package org.scimgate.impact;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.RulesetCompiler;
import org.scimgate.policy.RulesetRejected;

/**
 * {@code scimgate rules replay}: what a candidate ruleset would have decided on the decisions
 * already made. The candidate is checked exactly as a reload checks the live rules (compiles, stays
 * within the capability allow-list, its examples pass) before any of it runs. The command line's
 * parsing and help are {@code org.scimgate.cli}'s.
 */
public final class ReplayCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int REFUSED = 2;
    public static final int CHANGED = 3;

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;

    public ReplayCommand(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public int run(Options options, RulesetCompiler compiler) {
        Clock clock = options.clock();
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

    /** What to replay: the candidate rules, the window of past decisions, how to report. */
    public record Options(Path rules, ReplayWindow window, ReportFormat format, boolean failOnChange, Clock clock) {

        /**
         * @param since  a duration back from now (30d, 12h, an ISO-8601 duration), or null
         * @param from   an instant or a date, or null
         * @param to     an instant or a date, or null
         * @param format text, json or markdown
         * @throws IllegalArgumentException when a value is malformed or the window is contradictory
         */
        public static Options of(Path rules, String since, String from, String to, String format,
                boolean failOnChange, Clock clock) {
            return new Options(rules, ReplayWindow.of(since, from, to, clock), ReportFormat.parse(format), failOnChange,
                    clock);
        }
    }
}
