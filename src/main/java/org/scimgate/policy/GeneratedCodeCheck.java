package org.scimgate.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scimgate.policy.ClassReferences.Reference;

/**
 * The capability check: reads every class Drools compiled for a ruleset (rule constraints and
 * consequences become lambda classes, functions static methods, declared types classes of their
 * own) and refuses any reference outside the {@link RuleCapabilities}. It runs before a container
 * is created for the ruleset and before any rule, function or example runs, so refused code never
 * runs (declared enums, whose constants Drools runs while building, are refused before the build).
 * Each problem names where it was written (the rule, function or declared type, with its file and
 * line) and the forbidden type or member.
 */
final class GeneratedCodeCheck {

    /** Drools' own description of the module: generated from the build, never from a rule. */
    private static final String PROJECT_MODEL = "org/drools/project/model/ProjectModel_";
    /** Packages a ruleset may not place its classes in, so that none passes for Drools' or the JDK's. */
    private static final List<String> RESERVED = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/",
            "org/drools/", "org/kie/", "org/scimgate/", "com/google/re2j/");
    private static final String MODEL = "org/drools/model/Model";

    private final Map<String, ClassReferences> classes;
    private final RuleSources sources;
    private final RuleCapabilities capabilities;
    /** Which rule a generated class (a constraint or consequence) belongs to. */
    private final Map<String, RuleSources.Place> ruleOfClass = new HashMap<>();

    private GeneratedCodeCheck(Map<String, ClassReferences> classes, RuleSources sources, RuleCapabilities capabilities) {
        this.classes = classes;
        this.sources = sources;
        this.capabilities = capabilities;
    }

    /** The problems of the compiled classes, keyed by internal name; empty when every reference is allowed. */
    static List<RuleProblem> check(Map<String, byte[]> compiled, RuleSources sources, RuleCapabilities capabilities) {
        Map<String, ClassReferences> classes = new HashMap<>();
        compiled.forEach((name, bytes) -> classes.put(name, ClassReferences.read(bytes)));
        return new GeneratedCodeCheck(classes, sources, capabilities).run();
    }

    private List<RuleProblem> run() {
        classes.values().forEach(this::attributeRuleMethods);
        Set<Problem> problems = new LinkedHashSet<>();
        for (String pkg : sources.packages()) {
            String internal = pkg.replace('.', '/') + "/";
            if (RESERVED.stream().anyMatch(internal::startsWith)) {
                problems.add(new Problem(new RuleSources.Place(sources.fileOfPackage(pkg), 0, "package " + pkg),
                        "rules may not be declared in package " + pkg));
            }
        }
        classes.values().stream().sorted(java.util.Comparator.comparing(ClassReferences::name)).forEach(c -> {
            if (c.name().startsWith(PROJECT_MODEL) && !c.name().substring(PROJECT_MODEL.length()).contains("/")
                    && c.interfaces().contains("org/drools/modelcompiler/CanonicalKieModuleModel")) {
                return;
            }
            if (RESERVED.stream().anyMatch(c.name()::startsWith)) {
                // Drools places declared types in the rules' package; should that change, none passes for its own
                String type = c.name().replace('/', '.');
                problems.add(new Problem(place(c, ClassReferences.CLASS_LEVEL),
                        "rules may not declare " + type + " in package " + type.substring(0, type.lastIndexOf('.'))));
            }
            c.byMethod().forEach((method, refs) -> {
                for (Reference ref : refs) {
                    String forbidden = forbidden(ref);
                    if (forbidden != null) {
                        problems.add(new Problem(place(c, method), forbidden + " is not allowed in rules"));
                    }
                }
            });
            bounded(c, problems);
        });
        recursion(problems);
        Set<RuleProblem> result = new LinkedHashSet<>();
        for (Problem p : problems) {
            result.add(sources.problem(p.place(), words(p.message()), p.message(), null));
        }
        return new ArrayList<>(result);
    }

    /**
     * The words that locate a problem in the rule's text, most specific first: the forbidden member
     * as written in full, with its type's simple name, then alone ({@code java.lang.System.getenv},
     * {@code System.getenv}, {@code getenv}); a type in full, then by its simple name.
     */
    static List<String> words(String message) {
        if (message.startsWith("a loop")) {
            return List.of("for", "while", "do");
        }
        int end = message.indexOf(" is not allowed in rules");
        if (end < 0) {
            return List.of();
        }
        String used = message.substring(0, end).replaceFirst("^new ", "").replaceFirst("\\(int\\)$", "").replace('$', '.');
        List<String> words = new ArrayList<>(List.of(used));
        String[] parts = used.split("\\.");
        String last = parts[parts.length - 1];
        if (parts.length > 2 && !Character.isUpperCase(last.charAt(0))) {
            words.add(parts[parts.length - 2] + "." + last);
        }
        if (parts.length > 1) {
            words.add(last);
        }
        return words;
    }

    private record Problem(RuleSources.Place place, String message) {
    }

    /**
     * Refuses what would let a rule run or allocate as long as its input (or forever) says: a loop,
     * an array of a size that is not a small constant, a class of its own (which library code could
     * iterate without end), and the library calls that loop or allocate by an argument. Drools' own
     * code around the rules has none of these, so every generated class is held to it.
     */
    private void bounded(ClassReferences c, Set<Problem> problems) {
        if (c.local()) {
            problems.add(new Problem(place(c, ClassReferences.CLASS_LEVEL),
                    "an anonymous or local class is not allowed in rules; write a lambda"));
        }
        c.shapes().forEach((key, shape) -> {
            if (shape.loops()) {
                problems.add(new Problem(place(c, shape.name()),
                        "a loop (for, while, do) is not allowed in rules, which must provably finish"));
            }
            // Drools' lambda classes are enums: values() copies their constants into an array of their number
            if (shape.sizedArray() && !key.equals("values()[L" + c.name() + ";")) {
                problems.add(new Problem(place(c, shape.name()), "an array whose size is not a constant of at most "
                        + ClassReferences.MAX_CONSTANT_ARRAY + " is not allowed in rules"));
            }
            for (Reference call : shape.calls()) {
                String type = call.type().replace('/', '.');
                if (capabilities.unbounded(type, call.member())) {
                    String name = call.member().substring(0, call.member().indexOf('('));
                    problems.add(new Problem(place(c, shape.name()), (name.equals("<init>") ? "new " + type + "(int)"
                            : type + "." + name) + " is not allowed in rules: it runs or allocates as much as its "
                            + "arguments say"));
                }
            }
        });
    }

    /**
     * Refuses recursion among the ruleset's own methods (functions, and the lambdas they write,
     * which call back into them): a cycle in the graph of calls and method handles between
     * compiled classes. Each cycle is reported once, at the function (else the rule) it passes through.
     */
    private void recursion(Set<Problem> problems) {
        Map<String, List<String>> calls = new HashMap<>();
        Map<String, ClassReferences> owner = new HashMap<>();
        classes.values().forEach(c -> c.shapes().forEach((key, shape) -> {
            String node = c.name() + "#" + key;
            owner.put(node, c);
            calls.put(node, shape.calls().stream().filter(r -> classes.containsKey(r.type()))
                    .map(r -> r.type() + "#" + r.member()).toList());
        }));
        for (List<String> cycle : Cycles.of(calls)) {
            List<String> names = new ArrayList<>();
            RuleSources.Place at = null;
            for (String node : cycle) {
                ClassReferences c = owner.get(node);
                String method = node.substring(node.indexOf('#') + 1, node.indexOf('('));
                RuleSources.Place function = c.interfaces().contains(MODEL) ? sources.function(method) : null;
                if (function != null) {
                    names.add(method);
                    at = at == null ? function : at;
                }
            }
            if (at == null) {
                String node = cycle.get(0);
                at = place(owner.get(node), node.substring(node.indexOf('#') + 1, node.indexOf('(')));
            }
            String through = names.size() == 1 ? "calls itself" : names.isEmpty() ? "calls back into itself"
                    : "recursion through " + String.join(" -> ", names) + " -> " + names.get(0);
            problems.add(new Problem(at, through + ": recursion is not allowed in rules, which must provably finish"));
        }
    }

    /** A rule's method names the rule in a string constant; the classes it uses are that rule's code. */
    private void attributeRuleMethods(ClassReferences c) {
        c.byMethod().forEach((method, refs) -> {
            RuleSources.Place rule = c.strings().getOrDefault(method, List.of()).stream()
                    .map(sources::rule).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (rule == null) {
                return;
            }
            if (!method.startsWith("rule_")) {
                // a constraint's class lists the rules that use it; the first one is named
                ruleOfClass.putIfAbsent(c.name(), rule);
                return;
            }
            for (Reference ref : refs) {
                if (classes.containsKey(ref.type())) {
                    ruleOfClass.putIfAbsent(ref.type(), rule);
                }
            }
        });
    }

    private RuleSources.Place place(ClassReferences c, String method) {
        if (c.interfaces().contains(MODEL) && sources.function(method) != null) {
            return sources.function(method);
        }
        RuleSources.Place rule = ruleOfClass.get(c.name());
        if (rule != null) {
            return rule;
        }
        if (method.startsWith("rule_")) {
            for (String s : c.strings().getOrDefault(method, List.of())) {
                if (sources.rule(s) != null) {
                    return sources.rule(s);
                }
            }
        }
        if (c.interfaces().contains(MODEL) && sources.function(method) != null) {
            return sources.function(method);
        }
        String simple = c.name().substring(c.name().lastIndexOf('/') + 1);
        RuleSources.Place declared = sources.declared(simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple);
        if (declared != null) {
            return declared;
        }
        String pkg = c.name().contains("/") ? c.name().substring(0, c.name().lastIndexOf('/')).replace('/', '.') : "";
        String file = sources.fileOfPackage(pkg);
        if (file == null && pkg.contains(".")) {
            // lambda classes sit in a sub-package of the rules' package
            file = sources.fileOfPackage(pkg.substring(0, pkg.lastIndexOf('.')));
        }
        return new RuleSources.Place(file, 0, "package " + pkg);
    }

    /** What the reference uses that is not allowed, as {@code java.nio.file.Files.writeString}, or null. */
    private String forbidden(Reference ref) {
        String type = ref.type().replace('/', '.');
        if (ref.member() == null) {
            return classes.containsKey(ref.type()) || capabilities.allowsType(type) ? null : type;
        }
        String shown = ref.member().equals("<init>") ? "new " + type : type + "." + ref.member();
        if (capabilities.entries().contains(type + "#" + ref.member())) {
            return null;
        }
        if (RuleCapabilities.denied(type, ref.member())) {
            return shown;
        }
        return classes.containsKey(ref.type()) || capabilities.allowsMember(type, ref.member()) ? null : shown;
    }
}
