package org.scimgate.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.scimgate.scim.ScimUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadow ruleset ({@code scimgate.policy.shadow-rules-dir}): a candidate evaluated beside the
 * live rules on every decision and never enforced. It is a {@link PolicyEngine} of its own over
 * the live engine's compiler, so it is compiled, checked against the capability allow-list and its
 * examples, reloaded and cut off by the evaluation timeout exactly like the live ruleset; a refused
 * reload keeps the previous shadow and is kept for operators to see.
 *
 * <p>Unlike the live ruleset, a shadow that is refused at start-up does not stop the service: it is
 * a trial, not the policy. The service then runs without a shadow, says why (log, health, the
 * shadow summary), and tries again whenever the directory changes.
 */
public final class ShadowRuleset implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowRuleset.class);
    private static final ShadowRuleset OFF = new ShadowRuleset(null, null, null);

    private final Path rulesDir;
    private final RulesetCompiler compiler;
    private final Clock clock;
    private volatile PolicyEngine engine;
    private volatile PolicyEngine.RejectedReload refusedAtLoad;
    private RulesetWatcher watcher;
    private final List<java.util.function.Consumer<Ruleset>> onLive = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ShadowRuleset(Path rulesDir, RulesetCompiler compiler, Clock clock) {
        this.rulesDir = rulesDir;
        this.compiler = compiler;
        this.clock = clock;
    }

    /** No shadow: nothing is evaluated twice. */
    public static ShadowRuleset off() {
        return OFF;
    }

    /** Loads the shadow in {@code rulesDir}; when it is refused, the shadow stays off until a reload succeeds. */
    public static ShadowRuleset load(Path rulesDir, Clock clock, RulesetCompiler compiler) {
        ShadowRuleset shadow = new ShadowRuleset(rulesDir, compiler, clock);
        shadow.reload();
        return shadow;
    }

    /** Whether a shadow directory is configured, loaded or not. */
    public boolean configured() {
        return rulesDir != null;
    }

    /** Whether a shadow ruleset is loaded and judging. */
    public boolean active() {
        return engine != null;
    }

    /**
     * The shadow's decision for {@code user}, made as the live path decides (a shadow that overruns
     * the evaluation timeout or throws refuses the user with {@value EvaluationTimedOut#CODE} or
     * {@value PolicyEngine#EVALUATION_FAILED}, as it would if it were live); null when no shadow is loaded.
     */
    public Evaluation evaluateOrRefuse(ScimUser user) {
        PolicyEngine current = engine;
        return current == null ? null : current.evaluateOrRefuse(user);
    }

    /** The loaded shadow ruleset, or null. */
    public Ruleset ruleset() {
        PolicyEngine current = engine;
        return current == null ? null : current.ruleset();
    }

    public Path rulesDir() {
        return rulesDir;
    }

    /** The last refused load or reload of the shadow, or null. */
    public PolicyEngine.RejectedReload lastRejected() {
        PolicyEngine current = engine;
        return current == null ? refusedAtLoad : current.lastRejected();
    }

    /** Told of the shadow ruleset loaded now, if any, and of every one that replaces it. */
    public synchronized void onLive(java.util.function.Consumer<Ruleset> listener) {
        if (rulesDir == null) {
            return;
        }
        onLive.add(listener);
        if (engine != null) {
            engine.onLive(listener);
            listener.accept(engine.ruleset());
        }
    }

    /** The refused load or reload of the shadow that still stands (nothing compiled since), or null. */
    public PolicyEngine.RejectedReload standingRejection() {
        PolicyEngine current = engine;
        return current == null ? refusedAtLoad : current.standingRejection();
    }

    /** Reloads the shadow whenever its directory changes, as the live rules are. */
    synchronized void watch(java.time.Duration settle) {
        try {
            watcher = new RulesetWatcher(rulesDir, this::reload, settle, "shadow-ruleset-watcher");
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("Cannot watch the shadow rules in {} ({}); they are reloaded only by POST /api/v1/ruleset/reload",
                    rulesDir, e.toString());
        }
    }

    /** Compiles the shadow directory again; before a first good load, tries that load. */
    public synchronized void reload() {
        if (rulesDir == null) {
            return;
        }
        if (engine != null) {
            String before = engine.ruleset().version();
            PolicyEngine.RejectedReload rejectedBefore = engine.lastRejected();
            if (engine.reload()) {
                LOG.info("That was the shadow ruleset in {}: {} replaces {}, never enforced", rulesDir,
                        engine.ruleset().version(), before);
            } else if (engine.lastRejected() != rejectedBefore) {
                LOG.info("That was the shadow ruleset in {}: shadow {} stays, the live rules are unchanged", rulesDir,
                        before);
            }
            return;
        }
        try {
            engine = PolicyEngine.load(rulesDir, clock, compiler);
            refusedAtLoad = null;
            for (java.util.function.Consumer<Ruleset> listener : onLive) {
                engine.onLive(listener);
                listener.accept(engine.ruleset());
            }
            LOG.info("Shadow ruleset {} with {} rules is evaluated on every decision (never enforced), from {}",
                    engine.ruleset().version(), engine.ruleset().rules().size(),
                    rulesDir.toAbsolutePath().normalize());
        } catch (RulesetRejected e) {
            List<String> errors = e.problems().stream().map(RuleProblem::toString).toList();
            refused(errors);
        } catch (RuntimeException e) {
            refused(List.of(rulesDir + ": " + e.getMessage()));
        }
    }

    private void refused(List<String> errors) {
        refusedAtLoad = new PolicyEngine.RejectedReload(clock.instant(), errors);
        LOG.error("The shadow ruleset in {} was refused; decisions are made without a shadow until it is fixed. "
                + "{} error(s):\n{}", rulesDir, errors.size(), String.join("\n", errors));
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (java.io.IOException e) {
                LOG.warn("Closing the shadow rules watcher failed: {}", e.toString());
            }
        }
        PolicyEngine current = engine;
        if (current != null) {
            current.close();
        }
    }
}
