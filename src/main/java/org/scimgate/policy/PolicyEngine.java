package org.scimgate.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.scimgate.scim.ScimUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live ruleset behind one atomic reference. An evaluation holds the ruleset it began with
 * until it finishes, even if a newer one is published meanwhile; a replaced ruleset is closed
 * once its last evaluation is done. A new ruleset goes live only if it compiles and its examples
 * pass; otherwise the last good one stays and the rejection is kept for operators to see.
 */
public class PolicyEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);

    /** A reload that was refused, with every reason. */
    public record RejectedReload(Instant at, List<String> errors) {
    }

    private final AtomicReference<Ruleset> live;
    private final Path rulesDir;
    private final RulesetCompiler compiler;
    private final Clock clock;
    private volatile RejectedReload lastRejected;
    private final List<java.util.function.Consumer<Ruleset>> onLive = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Gate gate;

    /**
     * What a changed ruleset must pass, beyond compiling and its examples, before it goes live
     * (four-eyes changes: an approval). Returns why it is refused, or null to let it go live.
     */
    @FunctionalInterface
    public interface Gate {
        String refusal(Ruleset candidate);
    }

    /** Whether the latest reload was refused: the rules directory still holds an edit that is not live. */
    private volatile boolean refusedEditStands;
    private final java.util.concurrent.atomic.AtomicLong overran = new java.util.concurrent.atomic.AtomicLong();

    private PolicyEngine(Ruleset initial, Path rulesDir, RulesetCompiler compiler, Clock clock) {
        this.live = new AtomicReference<>(Objects.requireNonNull(initial));
        this.rulesDir = rulesDir;
        this.compiler = compiler;
        this.clock = clock;
    }

    /** Loads the rules directory with the default allow-list and evaluation timeout. */
    public static PolicyEngine load(Path rulesDir, Clock clock) {
        return load(rulesDir, clock, new RulesetCompiler(clock));
    }

    /**
     * Loads the rules directory; refuses a ruleset that does not compile, uses anything outside the
     * compiler's allow-list, or whose examples fail. Reloads go through the same compiler.
     */
    public static PolicyEngine load(Path rulesDir, Clock clock, RulesetCompiler compiler) {
        java.util.concurrent.CompletableFuture<Ruleset> preloaded = RulesetPreloader.take(rulesDir, compiler);
        Ruleset ruleset;
        if (preloaded == null) {
            ruleset = compiler.compile(rulesDir);
        } else {
            try {
                ruleset = preloaded.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        return new PolicyEngine(checked(ruleset), rulesDir, compiler, clock);
    }

    private static Ruleset checked(Ruleset ruleset) {
        ExampleReport report = Examples.run(ruleset);
        if (!report.passed()) {
            ruleset.close();
            throw new RulesetRejected(report.asProblems());
        }
        return ruleset;
    }

    /**
     * Compiles and checks a candidate rules directory exactly as a reload of the live one would
     * (same compiler, same examples check), without publishing it. The caller closes it.
     *
     * @throws RulesetRejected when it does not compile or its examples fail
     */
    public Ruleset candidate(Path directory) {
        return checked(compiler.compile(directory));
    }

    /**
     * The live ruleset's decision for one user, evaluated on the calling thread.
     *
     * @throws EvaluationTimedOut when the rules took longer than the evaluation timeout: no
     *                            decision was reached, and the caller must answer with an error
     */
    public Evaluation evaluate(ScimUser user) {
        return evaluate(user, false);
    }

    /**
     * For the entry points that must answer with a decision: a ruleset that overruns the
     * evaluation timeout refuses the user (fail closed) with {@value EvaluationTimedOut#CODE}, never lets one through.
     */
    public Evaluation evaluateOrRefuse(ScimUser user) {
        return evaluate(user, true);
    }

    /** {@link #evaluateOrRefuse(ScimUser)} for one change of the user's group membership. */
    public Evaluation evaluateOrRefuse(ScimUser user, Membership membership) {
        return evaluate(user, membership, true);
    }

    private Evaluation evaluate(ScimUser user, boolean refuseOnTimeout) {
        return evaluate(user, null, refuseOnTimeout);
    }

    private Evaluation evaluate(ScimUser user, Membership membership, boolean refuseOnTimeout) {
        while (true) {
            Ruleset ruleset = live.get();
            if (ruleset.acquire()) {
                try {
                    return membership == null ? ruleset.evaluate(user) : ruleset.evaluate(user, membership);
                } catch (EvaluationTimedOut e) {
                    overran.incrementAndGet();
                    if (!refuseOnTimeout) {
                        throw e;
                    }
                    LOG.error("Refusing a user because {}", e.getMessage());
                    return e.refusal(ruleset);
                } catch (RuntimeException | Error e) {
                    if (!refuseOnTimeout || Thread.currentThread().isInterrupted()) {
                        throw e; // the dry-run API, or shutting down: no decision, not a refusal
                    }
                    // A rule that throws for this input (a missing null check, a stack overflow, the heap
                    // it ate) would otherwise be a 500 with nothing on file, to every retry:
                    // refuse, fail closed, like a rule that loops, and let the caller record it.
                    RulesFailed failed = RulesFailed.of(ruleset.version(), e);
                    if (failed.getCause() instanceof Error) {
                        // a stack overflow's trace is a thousand lines of the same frames: the message says it
                        LOG.error("Refusing a user with {} because {}", failed.code(), failed.getMessage());
                    } else {
                        LOG.error("Refusing a user with {} because {}", failed.code(), failed.getMessage(), e);
                    }
                    return failed.refusal(ruleset);
                } finally {
                    ruleset.release();
                }
            }
            // Replaced and closed between the read and the hold: take the new one.
        }
    }

    /**
     * A refusal made without evaluating, when the facts the rules need cannot be had (Genesys could
     * not say which groups a user is in): one enforced, high violation under {@code code}, by the
     * live ruleset. Fail closed: nothing unjudged goes through.
     */
    public Evaluation refusal(String field, String code, String message) {
        return live.get().evaluation(List.of(new PolicyViolation(field, code, message, Severity.HIGH, Mode.ENFORCE,
                null)), List.of());
    }

    /** The violation of a user refused because a rule threw while evaluating it. */
    public static final String EVALUATION_FAILED = RulesFailed.FAILED;

    public Ruleset ruleset() {
        return live.get();
    }

    public Path rulesDir() {
        return rulesDir;
    }

    /** Evaluations refused since start-up because they took longer than the evaluation timeout. */
    public long evaluationsOverran() {
        return overran.get();
    }

    public RejectedReload lastRejected() {
        return lastRejected;
    }

    /** Told of every ruleset that goes live by a reload from now on (not of the one live now). */
    public void onLive(java.util.function.Consumer<Ruleset> listener) {
        onLive.add(Objects.requireNonNull(listener));
    }

    /** Sets what every reloaded ruleset must pass before it goes live; null: nothing beyond compiling and its examples. */
    public void gate(Gate gate) {
        this.gate = gate;
    }

    /** The last refused reload while no reload since has compiled (the refused edit still stands), or null. */
    public RejectedReload standingRejection() {
        return refusedEditStands ? lastRejected : null;
    }

    /**
     * At start-up, when the rules directory holds a ruleset that may not go live (an edit that no
     * approval wrote, made while the service was down): puts {@code kept}, the last ruleset made
     * live, in its place and reports the edit exactly as a refused reload whose edit still stands.
     * Listeners are not told: nothing new went live. {@code kept} must have been compiled and
     * checked by {@link #candidate(Path)}.
     */
    public synchronized void refuseAtStartUp(Ruleset kept, String refusal) {
        Ruleset current = live.get();
        lastRejected = new RejectedReload(clock.instant(), List.of(refusal));
        refusedEditStands = true;
        live.set(Objects.requireNonNull(kept));
        current.retire();
        LOG.error("Refused ruleset {} in {} at start-up; the kept ruleset {} is live instead: {}", current.version(),
                rulesDir, kept.version(), refusal);
    }

    /**
     * Compiles the rules directory again and publishes the result if it is sound and different;
     * returns whether a new ruleset went live.
     */
    public synchronized boolean reload() {
        Ruleset candidate;
        try {
            candidate = checked(compiler.compile(rulesDir));
        } catch (RulesetRejected e) {
            List<String> errors = e.problems().stream().map(RuleProblem::toString).toList();
            lastRejected = new RejectedReload(clock.instant(), errors);
            refusedEditStands = true;
            LOG.error("Rejected the edited rules in {}; ruleset {} stays live. {} error(s):\n{}", rulesDir,
                    live.get().version(), errors.size(), String.join("\n", errors));
            return false;
        }
        refusedEditStands = false;
        Ruleset current = live.get();
        if (candidate.version().equals(current.version())) {
            candidate.close();
            return false;
        }
        Gate required = gate;
        String refusal = required == null ? null : required.refusal(candidate);
        if (refusal != null) {
            lastRejected = new RejectedReload(clock.instant(), List.of(refusal));
            refusedEditStands = true; // the refused edit is still in the directory, as after a failed compile
            LOG.error("Refused ruleset {} in {}; ruleset {} stays live: {}", candidate.version(), rulesDir,
                    current.version(), refusal);
            candidate.close();
            return false;
        }
        live.set(candidate);
        current.retire();
        LOG.info("Ruleset {} with {} rules is live, replacing {}", candidate.version(), candidate.rules().size(),
                current.version());
        for (java.util.function.Consumer<Ruleset> listener : onLive) {
            try {
                listener.accept(candidate);
            } catch (RuntimeException e) {
                LOG.error("Ruleset {} is live, but a listener failed on it", candidate.version(), e);
            }
        }
        return true;
    }

    @Override
    public void close() {
        live.get().close();
    }
}
