package org.scimgate.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;

/**
 * Compiles a rules directory into a {@link Ruleset} with Drools' executable model. Every problem
 * is collected (compile errors, duplicate rule names, code outside the capability allow-list,
 * missing or invalid metadata, bad reference data) and reported together, each in the analyst's
 * terms ({@link RuleProblem}: the rules file, line, column and rule, never generated code). This
 * is the one way a ruleset comes to exist: every path that loads or tries rules (start-up, reload,
 * the command line, candidates) goes through it, so none can skip the capability check.
 */
public final class RulesetCompiler {

    private static final String RESOURCES = "src/main/resources/";
    private static final AtomicLong BUILDS = new AtomicLong();

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RulesetCompiler.class);
    /** What a cached module may hold: its class files and the executable model's index of them. */
    private static final String MODEL_FILES = "META-INF/kie/";

    private final Clock clock;
    private final RuleCapabilities capabilities;
    private final Duration evaluationTimeout;
    private final CompiledRulesetCache cache;

    /** With the default allow-list and evaluation time bound. */
    public RulesetCompiler(Clock clock) {
        this(clock, RuleCapabilities.defaults(), PolicySettings.DEFAULT_EVALUATION_TIMEOUT);
    }

    public RulesetCompiler(Clock clock, RuleCapabilities capabilities, Duration evaluationTimeout) {
        this(clock, capabilities, evaluationTimeout, null);
    }

    RulesetCompiler(Clock clock, RuleCapabilities capabilities, Duration evaluationTimeout, CompiledRulesetCache cache) {
        this.clock = clock;
        this.capabilities = java.util.Objects.requireNonNull(capabilities);
        this.evaluationTimeout = java.util.Objects.requireNonNull(evaluationTimeout);
        this.cache = cache;
    }

    /**
     * The same compiler, keeping what it compiles in {@code cache} and taking an unchanged
     * ruleset from there instead of compiling it again (checked again before use).
     */
    RulesetCompiler keepingCompiledIn(CompiledRulesetCache cache) {
        return new RulesetCompiler(clock, capabilities, evaluationTimeout, cache);
    }

    /** What a compiler lets a ruleset do: its allow-list and how long one evaluation may run. */
    record Limits(RuleCapabilities capabilities, Duration evaluationTimeout) {
    }

    Limits limits() {
        return new Limits(capabilities, evaluationTimeout);
    }

    public Ruleset compile(Path directory) {
        return compile(directory, RulesetSource.read(directory.toAbsolutePath().normalize()));
    }

    /** Compiles these files, read from {@code directory} (named in the problems). */
    Ruleset compile(Path directory, RulesetSource source) {
        List<RuleProblem> problems = new ArrayList<>();
        ReferenceData referenceData = source.referenceData() == null
                ? ReferenceData.empty() : ReferenceData.parse(source.referenceData(), problems);
        if (source.ruleFiles().isEmpty()) {
            problems.add(new RuleProblem(directory.toString(), 0, 0, "the rules directory holds no .drl file or decision table"));
            throw new RulesetRejected(problems);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Drools finds its services through the context class loader, which pool and watcher
        // threads of a fat jar do not have.
        thread.setContextClassLoader(RulesetCompiler.class.getClassLoader());
        try {
            String key = cache == null ? null : cache.keyOf(source.files());
            if (key != null) {
                Ruleset kept = fromCache(key, source, referenceData);
                if (kept != null) {
                    return kept;
                }
            }
            return build(source, referenceData, problems, key);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Ruleset build(RulesetSource source, ReferenceData referenceData, List<RuleProblem> problems, String key) {
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("org.scimgate", "policy",
                "1.0.0-" + source.version() + "-" + BUILDS.incrementAndGet());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        RuleSources sources = RuleSources.of(source.ruleFiles());
        if (!sources.refusedBeforeBuild().isEmpty()) {
            problems.addAll(sources.refusedBeforeBuild());
            throw new RulesetRejected(problems);
        }
        sources.drl().forEach((name, text) -> kfs.write(RESOURCES + name, ks.getResources()
                .newByteArrayResource(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).setSourcePath(name)));
        KieBuilder builder;
        try {
            builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        } catch (RuntimeException e) {
            // Drools throws instead of reporting for some constructs, e.g. inline accumulate code.
            ks.getRepository().removeKieModule(releaseId);
            problems.add(new RuleProblem(null, 0, 0, "Drools cannot compile the ruleset: "
                    + CompileMessages.scrub(e.getMessage())));
            throw new RulesetRejected(problems);
        }
        problems.addAll(CompileMessages.of(builder.getResults().getMessages(Message.Level.ERROR), sources));
        if (problems.isEmpty()) {
            // Before any rule, function or example runs: refused code never runs.
            problems.addAll(GeneratedCodeCheck.check(compiledClasses(builder), sources, capabilities));
        }
        if (!problems.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            throw new RulesetRejected(problems);
        }
        KieContainer container = ks.newKieContainer(releaseId);
        List<PolicyRule> rules = readRules(container, sources, problems);
        if (!problems.isEmpty()) {
            container.dispose();
            ks.getRepository().removeKieModule(releaseId);
            throw new RulesetRejected(problems);
        }
        if (key != null) {
            cache.write(key, ((InternalKieModule) builder.getKieModule()).getBytes());
        }
        return new Ruleset(source.version(), clock.instant(), rules, referenceData, container, releaseId,
                source.files(), source.examples(), evaluationTimeout);
    }

    /**
     * The ruleset compiled from exactly these files by this build, taken from the cache, or null
     * (none kept, or refused: then the rules are compiled). Only its class files and the executable
     * model's index of them are used, never the rule sources a module also holds, so nothing in it
     * is compiled; and the capability check runs on those class files, exactly these bytes, before
     * a container is made and any of them is loaded. Drools' own project model class, which the
     * check lets through when Drools generated it, is left out: a container reads the module without it.
     */
    private Ruleset fromCache(String key, RulesetSource source, ReferenceData referenceData) {
        byte[] kept = cache.read(key);
        if (kept == null) {
            return null;
        }
        RuleSources sources = RuleSources.of(source.ruleFiles());
        if (!sources.refusedBeforeBuild().isEmpty()) {
            return null; // compiled afresh, which reports why
        }
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("org.scimgate", "policy",
                "1.0.0-" + source.version() + "-kept" + BUILDS.incrementAndGet());
        KieContainer container = null;
        try {
            org.drools.compiler.compiler.io.memory.MemoryFileSystem read =
                    org.drools.compiler.compiler.io.memory.MemoryFileSystem.readFromJar(kept);
            org.drools.compiler.compiler.io.memory.MemoryFileSystem used =
                    new org.drools.compiler.compiler.io.memory.MemoryFileSystem();
            Map<String, byte[]> classes = new java.util.HashMap<>();
            for (Map.Entry<org.drools.util.PortablePath, byte[]> file : read.getMap().entrySet()) {
                String name = file.getKey().asString();
                if (name.endsWith(".class") && !name.startsWith("org/drools/project/model/ProjectModel_")) {
                    classes.put(name.substring(0, name.length() - ".class".length()), file.getValue());
                    used.write(file.getKey(), file.getValue());
                } else if (name.startsWith(MODEL_FILES) && !name.endsWith("/")) {
                    used.write(file.getKey(), file.getValue());
                }
            }
            List<RuleProblem> problems = new ArrayList<>(GeneratedCodeCheck.check(classes, sources, capabilities));
            if (!problems.isEmpty()) {
                LOG.warn("Refused the compiled ruleset {}: {} problem(s) in the capability check; compiling the rules",
                        cache.entry(key), problems.size());
                cache.discard(key);
                return null;
            }
            org.kie.api.builder.model.KieModuleModel model = ks.newKieModuleModel();
            org.drools.compiler.kie.builder.impl.KieBuilderImpl.setDefaultsforEmptyKieModule(model);
            ks.getRepository().addKieModule(new org.drools.modelcompiler.CanonicalKieModule(
                    new org.drools.compiler.kie.builder.impl.MemoryKieModule(releaseId, model, used)));
            container = ks.newKieContainer(releaseId);
            List<PolicyRule> rules = readRules(container, sources, problems);
            if (!problems.isEmpty() || rules.isEmpty()
                    || rules.stream().anyMatch(rule -> sources.rule(rule.name()) == null)) {
                throw new IllegalStateException("its rules are not the rule files' (" + problems.size() + " problem(s))");
            }
            LOG.info("Took the compiled ruleset {} from {} (the rule files are unchanged; the capability check passed)",
                    source.version(), cache.directory());
            return new Ruleset(source.version(), clock.instant(), rules, referenceData, container, releaseId,
                    source.files(), source.examples(), evaluationTimeout);
        } catch (RuntimeException e) {
            LOG.warn("Could not use the compiled ruleset {}: {}; compiling the rules", cache.entry(key), e.toString());
            if (container != null) {
                container.dispose();
            }
            ks.getRepository().removeKieModule(releaseId);
            cache.discard(key);
            return null;
        }
    }

    /** The class files Drools compiled for the ruleset, by internal name, read from the in-memory module. */
    private static Map<String, byte[]> compiledClasses(KieBuilder builder) {
        InternalKieModule module = (InternalKieModule) builder.getKieModule();
        Map<String, byte[]> classes = new java.util.HashMap<>();
        for (String file : module.getFileNames()) {
            if (file.endsWith(".class")) {
                classes.put(file.substring(0, file.length() - ".class".length()), module.getBytes(file));
            }
        }
        return classes;
    }

    private static List<PolicyRule> readRules(KieContainer container, RuleSources sources,
                                              List<RuleProblem> problems) {
        List<Rule> all = new ArrayList<>();
        for (KiePackage pkg : container.getKieBase().getKiePackages()) {
            all.addAll(pkg.getRules());
        }
        java.util.function.Function<Rule, String> fileOf = r -> sources.rule(r.getName()) == null
                ? r.getPackageName() : sources.rule(r.getName()).file();
        all.sort(Comparator.comparing(fileOf).thenComparingInt(RulesetCompiler::loadOrder)
                .thenComparing(Rule::getName));
        List<PolicyRule> rules = new ArrayList<>();
        for (Rule rule : all) {
            Map<String, String> metadata = new LinkedHashMap<>();
            rule.getMetaData().forEach((k, v) -> metadata.put(k, unquote(v)));
            String where = fileOf.apply(rule);
            String code = metadata.get("code");
            if (code == null || code.isBlank()) {
                problems.add(at(sources, rule, "@code", "the rule has no @code.",
                        "give it one, e.g. @code(\"POLICY_DEPARTMENT_DENIED\"), after its name."));
                continue;
            }
            Severity severity = parse(metadata.getOrDefault("severity", "medium"), Severity::parse,
                    "@severity must be low, medium, high or critical", "@severity", rule, sources, problems);
            Mode mode = parse(metadata.getOrDefault("mode", "enforce"), Mode::parse,
                    "@mode must be enforce, warn or dryrun", "@mode", rule, sources, problems);
            Remedy remedy = parse(metadata.getOrDefault("remedy", "none"), Remedy::parse,
                    "@remedy must be none or deactivate", "@remedy", rule, sources, problems);
            if (severity != null && mode != null && remedy != null) {
                rules.add(new PolicyRule(rule.getName(), where, sources.lineOf(rule.getName()), code, severity, mode,
                        metadata.getOrDefault("description", ""), metadata));
            }
        }
        return rules;
    }

    private static <T> T parse(String value, java.util.function.Function<String, T> parser, String expected,
                               String annotation, Rule rule, RuleSources sources, List<RuleProblem> problems) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            problems.add(at(sources, rule, annotation, expected + ", not \"" + value + "\".", null));
            return null;
        }
    }

    /** A problem of the rule, at the first place the word is written in it (else its header). */
    private static RuleProblem at(RuleSources sources, Rule rule, String word, String message, String hint) {
        RuleSources.Place place = sources.rule(rule.getName());
        if (place == null) {
            return new RuleProblem(rule.getPackageName(), 0, 0, rule.getName(), message, hint);
        }
        return sources.problem(place, List.of(word), message, hint);
    }

    /** The executable model keeps metadata values with their quotes: {@code @code("X")} reads {@code "X"}. */
    static String unquote(Object value) {
        String s = String.valueOf(value).strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static int loadOrder(Rule rule) {
        return rule instanceof RuleImpl impl ? impl.getLoadOrder() : 0;
    }
}
