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

    private final Clock clock;
    private final RuleCapabilities capabilities;
    private final Duration evaluationTimeout;

    /** With the default allow-list and evaluation time bound. */
    public RulesetCompiler(Clock clock) {
        this(clock, RuleCapabilities.defaults(), PolicySettings.DEFAULT_EVALUATION_TIMEOUT);
    }

    public RulesetCompiler(Clock clock, RuleCapabilities capabilities, Duration evaluationTimeout) {
        this.clock = clock;
        this.capabilities = java.util.Objects.requireNonNull(capabilities);
        this.evaluationTimeout = java.util.Objects.requireNonNull(evaluationTimeout);
    }

    /** What a compiler lets a ruleset do: its allow-list and how long one evaluation may run. */
    record Limits(RuleCapabilities capabilities, Duration evaluationTimeout) {
    }

    Limits limits() {
        return new Limits(capabilities, evaluationTimeout);
    }

    public Ruleset compile(Path directory) {
        RulesetSource source = RulesetSource.read(directory.toAbsolutePath().normalize());
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
            return build(source, referenceData, problems);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Ruleset build(RulesetSource source, ReferenceData referenceData, List<RuleProblem> problems) {
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
        return new Ruleset(source.version(), clock.instant(), rules, referenceData, container, releaseId,
                source.files(), source.examples(), evaluationTimeout);
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
