package org.scimgate.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.drools.base.definitions.rule.impl.RuleImpl;
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
 * is collected (compile errors, duplicate rule names, missing or invalid metadata, bad reference
 * data) and reported together as {@code file:line:column message}.
 */
public final class RulesetCompiler {

    private static final String RESOURCES = "src/main/resources/";
    private static final AtomicLong BUILDS = new AtomicLong();

    private final Clock clock;

    public RulesetCompiler(Clock clock) {
        this.clock = clock;
    }

    public Ruleset compile(Path directory) {
        RulesetSource source = RulesetSource.read(directory.toAbsolutePath().normalize());
        List<RuleProblem> problems = new ArrayList<>();
        ReferenceData referenceData = source.referenceData() == null
                ? ReferenceData.empty() : ReferenceData.parse(source.referenceData(), problems);
        if (source.drlFiles().isEmpty()) {
            problems.add(new RuleProblem(directory.toString(), 0, 0, "the rules directory holds no .drl file"));
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
        source.drlFiles().forEach((name, bytes) ->
                kfs.write(RESOURCES + name, ks.getResources().newByteArrayResource(bytes).setSourcePath(name)));
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll(ExecutableModelProject.class);
        for (Message message : builder.getResults().getMessages(Message.Level.ERROR)) {
            problems.add(new RuleProblem(stripResources(message.getPath()), message.getLine(),
                    message.getColumn(), message.getText()));
        }
        if (!problems.isEmpty()) {
            ks.getRepository().removeKieModule(releaseId);
            throw new RulesetRejected(problems);
        }
        KieContainer container = ks.newKieContainer(releaseId);
        List<PolicyRule> rules = readRules(container, problems);
        if (!problems.isEmpty()) {
            container.dispose();
            ks.getRepository().removeKieModule(releaseId);
            throw new RulesetRejected(problems);
        }
        return new Ruleset(source.version(), clock.instant(), rules, referenceData, container, releaseId);
    }

    private static List<PolicyRule> readRules(KieContainer container, List<RuleProblem> problems) {
        List<Rule> all = new ArrayList<>();
        for (KiePackage pkg : container.getKieBase().getKiePackages()) {
            all.addAll(pkg.getRules());
        }
        all.sort(Comparator.comparing(RulesetCompiler::fileOf).thenComparingInt(RulesetCompiler::loadOrder)
                .thenComparing(Rule::getName));
        List<PolicyRule> rules = new ArrayList<>();
        for (Rule rule : all) {
            Map<String, String> metadata = new LinkedHashMap<>();
            rule.getMetaData().forEach((k, v) -> metadata.put(k, unquote(v)));
            String where = fileOf(rule);
            String code = metadata.get("code");
            if (code == null || code.isBlank()) {
                problems.add(new RuleProblem(where, 0, 0, "rule \"" + rule.getName() + "\" has no @code"));
                continue;
            }
            Severity severity = parse(metadata.getOrDefault("severity", "medium"), Severity::parse,
                    "@severity must be low, medium, high or critical", rule, where, problems);
            Mode mode = parse(metadata.getOrDefault("mode", "enforce"), Mode::parse,
                    "@mode must be enforce, warn or dryrun", rule, where, problems);
            if (severity != null && mode != null) {
                rules.add(new PolicyRule(rule.getName(), rule.getPackageName(), code, severity, mode,
                        metadata.getOrDefault("description", ""), metadata));
            }
        }
        return rules;
    }

    private static <T> T parse(String value, java.util.function.Function<String, T> parser, String expected,
                               Rule rule, String where, List<RuleProblem> problems) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            problems.add(new RuleProblem(where, 0, 0,
                    "rule \"" + rule.getName() + "\": " + expected + ", not \"" + value + "\""));
            return null;
        }
    }

    /** The executable model keeps metadata values with their quotes: {@code @code("X")} reads {@code "X"}. */
    static String unquote(Object value) {
        String s = String.valueOf(value).strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String fileOf(Rule rule) {
        if (rule instanceof RuleImpl impl && impl.getResource() != null && impl.getResource().getSourcePath() != null) {
            return stripResources(impl.getResource().getSourcePath());
        }
        return rule.getPackageName();
    }

    private static int loadOrder(Rule rule) {
        return rule instanceof RuleImpl impl ? impl.getLoadOrder() : 0;
    }

    private static String stripResources(String path) {
        if (path == null) {
            return null;
        }
        return path.startsWith(RESOURCES) ? path.substring(RESOURCES.length()) : path;
    }
}
