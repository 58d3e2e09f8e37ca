package org.scimgate.policy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.decisiontable.InputType;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.EnumDeclarationDescr;
import org.drools.drl.ast.descr.FunctionDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.drools.decisiontable.SpreadsheetCompiler;

/**
 * Where each rule, function, declared type and package of a ruleset is written, read from the DRL
 * text with Drools' parser (for a decision table, from the DRL generated from it, so lines there
 * are unknown). The executable model keeps no source positions, so messages about compiled code
 * are located here. Also what must be refused before Drools even builds the ruleset: a declared
 * {@code enum}, whose constants Drools initialises, running their code, while it builds.
 */
final class RuleSources {

    /** A file and a 1-based line, or line 0 when unknown. */
    record Place(String file, int line, String what) {
    }

    private static final Pattern RULE = Pattern.compile("(?m)^\\s*rule\\s+\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern FUNCTION = Pattern.compile("(?m)^\\s*function\\s+[\\w.<>\\[\\], ]+?\\s+(\\w+)\\s*\\(");
    private static final Pattern DECLARE = Pattern.compile("(?m)^\\s*declare\\s+(?:trait\\s+|enum\\s+)?([\\w.]+)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)");

    private final Map<String, Place> rules = new HashMap<>();
    private final Map<String, Place> functions = new HashMap<>();
    private final Map<String, Place> declared = new HashMap<>();
    private final Map<String, String> packages = new HashMap<>();
    private final java.util.List<RuleProblem> refusedBeforeBuild = new java.util.ArrayList<>();
    private final Map<String, String> drl = new java.util.LinkedHashMap<>();
    private final Map<String, String> sourceOfDrl = new HashMap<>();
    private static final Pattern DECLARE_ENUM = Pattern.compile("\\bdeclare\\s+enum\\b");

    static RuleSources of(Map<String, byte[]> ruleFiles) {
        RuleSources sources = new RuleSources();
        ruleFiles.forEach((name, bytes) -> {
            boolean drl = name.endsWith(".drl");
            String text;
            try {
                text = drl ? new String(bytes, StandardCharsets.UTF_8) : new SpreadsheetCompiler()
                        .compile(new ByteArrayInputStream(bytes), name.endsWith(".csv") ? InputType.CSV : InputType.XLS);
            } catch (RuntimeException e) {
                sources.refusedBeforeBuild.add(new RuleProblem(name, 0, 0, "not a readable decision table: " + e.getMessage()));
                return;
            }
            // A decision table is turned into DRL here, once: Drools builds that DRL, under a name
            // that leads back to the table.
            String built = drl ? name : name + GENERATED;
            sources.drl.put(built, text);
            sources.sourceOfDrl.put(built, name);
            sources.index(name, text, drl);
        });
        return sources;
    }

    /** What a decision table's DRL is built as: its own name with this appended. */
    private static final String GENERATED = ".generated.drl";

    /** The DRL of every rule file, decision tables already turned into DRL, by the name Drools builds it under. */
    Map<String, String> drl() {
        return java.util.Collections.unmodifiableMap(drl);
    }

    /** The rules file a built DRL name came from (a decision table for its generated DRL). */
    String sourceOf(String builtName) {
        return builtName == null ? null : sourceOfDrl.getOrDefault(builtName, builtName);
    }

    private void index(String file, String text, boolean linesKnown) {
        DrlParser parser = new DrlParser();
        PackageDescr parsed;
        try {
            parsed = parser.parse(false, text);
        } catch (DroolsParserException | RuntimeException e) {
            parsed = null;
        }
        if (parsed != null && !parser.hasErrors()) {
            index(file, parsed, linesKnown);
            return;
        }
        // Drools reports the syntax errors; locate what can be located, and refuse what looks like an enum.
        if (DECLARE_ENUM.matcher(text.replaceAll("(?s)/\\*.*?\\*/|//[^\\n]*", " ")).find()) {
            refusedBeforeBuild.add(new RuleProblem(file, 0, 0, ENUM_REFUSED));
        }
        collect(RULE, text, file, linesKnown, rules, "rule \"%s\"");
        collect(FUNCTION, text, file, linesKnown, functions, "function %s");
        collect(DECLARE, text, file, linesKnown, declared, "declare %s");
        Matcher m = PACKAGE.matcher(text);
        if (m.find()) {
            packages.putIfAbsent(m.group(1), file);
        }
    }

    private static final String ENUM_REFUSED = "declared enums are not allowed in rules: Drools runs the code"
            + " of their constants while it builds the ruleset, before it could be checked";

    private void index(String file, PackageDescr parsed, boolean linesKnown) {
        packages.putIfAbsent(parsed.getName(), file);
        for (RuleDescr rule : parsed.getRules()) {
            rules.putIfAbsent(rule.getName(), place(file, rule, linesKnown, "rule \"" + rule.getName() + "\""));
        }
        for (FunctionDescr function : parsed.getFunctions()) {
            functions.putIfAbsent(function.getName(), place(file, function, linesKnown, "function " + function.getName()));
        }
        for (TypeDeclarationDescr type : parsed.getTypeDeclarations()) {
            String name = type.getTypeName();
            declared.putIfAbsent(name.substring(name.lastIndexOf('.') + 1), place(file, type, linesKnown, "declare " + name));
        }
        for (EnumDeclarationDescr declaredEnum : parsed.getEnumDeclarations()) {
            refusedBeforeBuild.add(new RuleProblem(file, linesKnown ? declaredEnum.getLine() : 0, 0,
                    "declare enum " + declaredEnum.getTypeName() + ": " + ENUM_REFUSED));
        }
    }

    private static Place place(String file, BaseDescr descr, boolean linesKnown, String what) {
        return new Place(file, linesKnown ? Math.max(descr.getLine(), 0) : 0, what);
    }

    /** What must be refused before Drools builds the ruleset, since building would run it. */
    java.util.List<RuleProblem> refusedBeforeBuild() {
        return java.util.List.copyOf(refusedBeforeBuild);
    }

    private static void collect(Pattern pattern, String text, String file, boolean linesKnown,
                                Map<String, Place> into, String what) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            // a declared type may be written with its package; the class is found by its simple name
            String key = pattern == DECLARE ? name.substring(name.lastIndexOf('.') + 1) : name;
            int line = linesKnown ? lineOf(text, m.start(1)) : 0;
            into.putIfAbsent(key, new Place(file, line, what.formatted(name)));
        }
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The rule of that name, or null. */
    Place rule(String name) {
        return rules.get(name);
    }

    Place function(String name) {
        return functions.get(name);
    }

    Place declared(String simpleName) {
        return declared.get(simpleName);
    }

    /** The file that declares the package (dotted name), or null. */
    String fileOfPackage(String pkg) {
        return packages.get(pkg);
    }

    Iterable<String> packages() {
        return packages.keySet();
    }
}
