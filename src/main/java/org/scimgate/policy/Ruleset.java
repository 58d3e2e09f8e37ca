package org.scimgate.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.KieServices;
import org.kie.api.builder.ReleaseId;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.scimgate.scim.Email;
import org.scimgate.scim.ScimUser;

/**
 * A compiled, immutable ruleset. The {@code KieBase} is shared; each evaluation takes a session of
 * its own from the ruleset's pool (Drools resets a pooled session when it is given back, which
 * costs less than building one), so evaluations run in parallel and one in flight finishes on the
 * ruleset it began with.
 */
public final class Ruleset implements AutoCloseable {

    /**
     * Rule firings one evaluation may take: rules that keep triggering each other (an update, an
     * insert that matches again) are stopped here, and the user is refused ({@link RulesFailed#FIRING_LIMIT}).
     */
    static final int MAX_FIRINGS = 10_000;

    private final String version;
    private final Instant loadedAt;
    private final List<PolicyRule> rules;
    private final Map<String, PolicyRule> rulesByName = new HashMap<>();
    private final Map<String, Integer> ruleOrder = new HashMap<>();
    private final ReferenceData referenceData;
    private final KieContainer container;
    /** Looked up once: the container's lookup is synchronised, and every evaluation needs the base. */
    private final org.kie.api.KieBase kieBase;
    private final org.kie.api.runtime.KieSessionsPool sessions;
    private final java.util.Set<String> sensitiveAttributes;
    private final ReleaseId releaseId;
    private final Map<String, byte[]> examples;
    private final Map<String, byte[]> sources;
    private volatile Map<String, List<RuleExample>> examplesByRule;
    private final java.time.Duration evaluationTimeout;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean retired;

    Ruleset(String version, Instant loadedAt, List<PolicyRule> rules, ReferenceData referenceData,
            KieContainer container, ReleaseId releaseId, Map<String, byte[]> sources, Map<String, byte[]> examples,
            java.time.Duration evaluationTimeout) {
        this.sources = Map.copyOf(sources);
        this.examples = Map.copyOf(examples);
        this.evaluationTimeout = evaluationTimeout;
        this.version = version;
        this.loadedAt = loadedAt;
        this.rules = List.copyOf(rules);
        this.referenceData = referenceData;
        this.container = container;
        this.kieBase = container.getKieBase();
        this.sessions = kieBase.newKieSessionsPool(Runtime.getRuntime().availableProcessors());
        this.sensitiveAttributes = referenceData.lists().stream().filter(l -> l.name().equals("sensitive-attributes"))
                .flatMap(l -> l.values().stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.releaseId = releaseId;
        for (int i = 0; i < this.rules.size(); i++) {
            rulesByName.put(this.rules.get(i).name(), this.rules.get(i));
            ruleOrder.put(this.rules.get(i).name(), i);
        }
    }

    public String version() {
        return version;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** Whether this ruleset was taken from the compiled-ruleset cache rather than compiled now. */
    boolean taken() {
        return releaseId.getVersion().contains("-kept");
    }

    public List<PolicyRule> rules() {
        return rules;
    }

    /** Each rule's examples, read from the {@code examples.yaml} files once, when first asked. */
    public Map<String, List<RuleExample>> examplesByRule() {
        Map<String, List<RuleExample>> read = examplesByRule;
        if (read == null) {
            read = Map.copyOf(RuleExample.byRule(examples));
            examplesByRule = read;
        }
        return read;
    }

    /**
     * Every file of the ruleset exactly as it was compiled, by path relative to the rules directory:
     * the deciding files its version hashes (DRL, decision tables, reference data) and its
     * {@code examples.yaml} files, so that it can be kept and compiled again.
     */
    public Map<String, byte[]> files() {
        Map<String, byte[]> all = new java.util.TreeMap<>(sources);
        all.putAll(examples);
        return java.util.Collections.unmodifiableMap(all);
    }

    /** The analysts' {@code examples.yaml} files that travelled with the rules, by relative path. */
    Map<String, byte[]> examples() {
        return examples;
    }

    /** The rule of that name, or null. */
    public PolicyRule rule(String name) {
        return rulesByName.get(name);
    }

    /** Takes a hold that keeps this ruleset open; false once it has been closed. */
    boolean acquire() {
        while (true) {
            int n = inFlight.get();
            if (n < 0) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            closeWhenIdle();
        }
    }

    /** Marks the ruleset replaced: it closes as soon as the last evaluation on it has finished. */
    void retire() {
        retired = true;
        closeWhenIdle();
    }

    private void closeWhenIdle() {
        if (inFlight.compareAndSet(0, -1)) {
            // Not sessions.shutdown(): idle pooled sessions go with the ruleset when it is no longer referenced.
            container.dispose();
            KieServices.Factory.get().getRepository().removeKieModule(releaseId);
        }
    }

    /** Attribute names the reference data lists under {@code sensitive-attributes}: never stored or logged. */
    public java.util.Set<String> sensitiveAttributes() {
        return sensitiveAttributes;
    }

    /** The reference data's lists by name, each list's values sorted: what the rules read, for people to see. */
    public Map<String, List<String>> referenceLists() {
        Map<String, List<String>> lists = new java.util.LinkedHashMap<>();
        referenceData.lists().forEach(l -> lists.put(l.name(), l.values().stream().sorted().toList()));
        return lists;
    }

    /** The reference data's patterns by name, as written. */
    public Map<String, String> referencePatterns() {
        Map<String, String> patterns = new java.util.LinkedHashMap<>();
        referenceData.patterns().forEach(p -> patterns.put(p.name(), p.regex()));
        return patterns;
    }

    /**
     * Runs the rules for one user on the calling thread. The capability check has refused loops,
     * recursion and unbounded allocation, and {@link #MAX_FIRINGS} bounds the firings, so the
     * evaluation ends; what it cannot bound (see {@link Deadline}) is held to the evaluation timeout.
     *
     * @throws EvaluationTimedOut when the rules took longer than the evaluation timeout: refused, never judged
     * @throws RulesFailed        when a rule threw anything, or the rules fired too often
     */
    public Evaluation evaluate(ScimUser user) {
        return evaluate(user, null);
    }

    /**
     * Runs the rules for one change of {@code user}'s group membership: the user and the
     * {@link Membership} are both facts, and only violations of rules whose match included the
     * membership count (a user the identity provider provisioned long ago is judged by the user
     * rules when it is written, not each time it joins a group). With no membership, the user alone.
     *
     * @throws EvaluationTimedOut when the rules overran the evaluation timeout
     * @throws RulesFailed        when a rule threw anything, or the rules fired too often
     */
    public Evaluation evaluate(ScimUser user, Membership membership) {
        KieSession session = sessions.newKieSession();
        // From the first fact on: taking a session from the pool (building one, when it is empty) is the engine's work.
        Deadline deadline = new Deadline(evaluationTimeout.toNanos());
        Collector collector = new Collector(deadline);
        session.addEventListener((org.kie.api.event.rule.AgendaEventListener) collector);
        session.addEventListener((org.kie.api.event.rule.RuleRuntimeEventListener) collector);
        try {
            referenceData.facts().forEach(session::insert);
            session.insert(user);
            for (Email email : user.emails()) {
                session.insert(email);
            }
            if (membership != null) {
                session.insert(membership);
            }
            int fired = session.fireAllRules(MAX_FIRINGS);
            if (deadline.passed()) {
                throw new EvaluationTimedOut(version, evaluationTimeout);
            }
            if (fired >= MAX_FIRINGS) {
                throw RulesFailed.firingLimit(version, fired);
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            if (e instanceof EvaluationTimedOut) {
                throw e;
            }
            // Whatever a rule threw, named as the rules' failure: the stack has unwound by now, and
            // with it what the rule allocated. Other errors are left to the caller.
            throw RulesFailed.of(version, e);
        } finally {
            // A pooled session keeps its listeners across resets: take this evaluation's off first.
            session.removeEventListener((org.kie.api.event.rule.AgendaEventListener) collector);
            session.removeEventListener((org.kie.api.event.rule.RuleRuntimeEventListener) collector);
            session.dispose();
        }
        if (membership == null) {
            return evaluation(collector.violations(), collector.fired);
        }
        return evaluation(collector.violations().stream().filter(v -> collector.aboutMembership.contains(v.rule()))
                .toList(), collector.fired.stream().filter(collector.aboutMembership::contains).toList());
    }

    /** {@link #evaluate(ScimUser, Membership)} as the live path decides: failing closed. */
    public Evaluation evaluateOrRefuse(ScimUser user, Membership membership) {
        try {
            return evaluate(user, membership);
        } catch (EvaluationTimedOut e) {
            return e.refusal(this);
        } catch (RulesFailed e) {
            return e.refusal(this);
        }
    }

    /**
     * As the live path decides: rules that overrun the timeout, throw, or fire too often refuse the
     * user (fail closed).
     */
    public Evaluation evaluateOrRefuse(ScimUser user) {
        try {
            return evaluate(user);
        } catch (EvaluationTimedOut e) {
            return e.refusal(this);
        } catch (RulesFailed e) {
            return e.refusal(this);
        }
    }

    /**
     * {@link #evaluateOrRefuse} for many users, in order, on the calling thread: for each user its
     * evaluation, or the exception its evaluation threw (a rule that throws), which the caller decides
     * how to count.
     */
    public List<Judged> evaluateAllOrRefuse(List<ScimUser> users) {
        List<Judged> judged = new ArrayList<>(users.size());
        for (ScimUser user : users) {
            try {
                judged.add(new Judged(evaluate(user), null));
            } catch (EvaluationTimedOut e) {
                judged.add(new Judged(e.refusal(this), null));
            } catch (RuntimeException e) {
                judged.add(new Judged(null, e));
            } catch (Error e) {
                // A rule that eats the heap for some users only: their failure, not the batch's.
                judged.add(new Judged(null, RulesFailed.of(version, e)));
            }
        }
        return judged;
    }

    /** One user's part of {@link #evaluateAllOrRefuse}: an evaluation, or the exception that stopped it. */
    public record Judged(Evaluation evaluation, RuntimeException failure) {
    }

    /**
     * The evaluation timeout, checked on the evaluating thread after each firing: what the
     * capability check cannot bound is the time one evaluation takes (running time exponential in
     * the rule's length, such as function objects composed with themselves; code the operator
     * allows). Past the deadline Drools fires no further rule, and the user is refused. A single
     * firing that runs long is not interrupted; it is refused when it returns.
     */
    static final class Deadline {

        private final long started = System.nanoTime();
        private final long timeoutNanos;
        private boolean passed;

        Deadline(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        /** Whether the timeout has passed; once it has, it stays passed. */
        boolean passed() {
            if (!passed && System.nanoTime() - started > timeoutNanos) {
                passed = true;
            }
            return passed;
        }
    }

    /** An evaluation by this ruleset, carrying what its audit row needs of it. */
    Evaluation evaluation(List<PolicyViolation> violations, List<String> fired) {
        Map<String, PolicyRule> metadata = new HashMap<>();
        for (String name : fired) {
            PolicyRule rule = rulesByName.get(name);
            if (rule != null) {
                metadata.put(name, rule);
            }
        }
        return new Evaluation(violations, fired, version, metadata, sensitiveAttributes);
    }

    @Override
    public void close() {
        retire();
    }

    private final class Collector extends DefaultAgendaEventListener
            implements org.kie.api.event.rule.RuleRuntimeEventListener {

        private final Deadline deadline;
        private final List<String> fired = new ArrayList<>();
        /** Rules that fired on a match holding the {@link Membership}. */
        private final java.util.Set<String> aboutMembership = new java.util.HashSet<>();
        private final Map<Violation, String> insertedBy = new IdentityHashMap<>();
        private final DefaultRuleRuntimeEventListener noop = new DefaultRuleRuntimeEventListener();

        Collector(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            fired.add(event.getMatch().getRule().getName());
            if (event.getMatch().getObjects().stream().anyMatch(Membership.class::isInstance)) {
                aboutMembership.add(event.getMatch().getRule().getName());
            }
            if (deadline.passed()) {
                ((KieSession) event.getKieRuntime()).halt();
            }
        }

        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            if (event.getObject() instanceof Violation v && event.getRule() != null) {
                insertedBy.put(v, event.getRule().getName());
            }
        }

        @Override
        public void objectUpdated(org.kie.api.event.rule.ObjectUpdatedEvent event) {
            noop.objectUpdated(event);
        }

        @Override
        public void objectDeleted(org.kie.api.event.rule.ObjectDeletedEvent event) {
            noop.objectDeleted(event);
        }

        List<PolicyViolation> violations() {
            List<PolicyViolation> result = new ArrayList<>(insertedBy.size());
            insertedBy.forEach((violation, ruleName) -> {
                PolicyRule rule = rulesByName.get(ruleName);
                result.add(new PolicyViolation(violation.field(), rule.code(), violation.message(),
                        rule.severity(), rule.mode(), rule.name()));
            });
            result.sort(Comparator.comparingInt((PolicyViolation v) -> ruleOrder.get(v.rule()))
                    .thenComparing(PolicyViolation::field).thenComparing(PolicyViolation::message));
            return result;
        }
    }
}
