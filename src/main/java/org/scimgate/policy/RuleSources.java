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
    private final Map<String, DrlText> builtText = new java.util.LinkedHashMap<>();
    private final Map<String, DrlText> sourceText = new HashMap<>();
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
            DrlText builtText = new DrlText(text);
            sources.builtText.put(built, builtText);
            sources.sourceText.put(name, drl ? builtText : new DrlText(new String(bytes, StandardCharsets.UTF_8)));
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

    /** The DRL Drools builds under that name, as text to locate problems in; null for any other name. */
    DrlText built(String builtName) {
        return builtText.get(builtName);
    }

    Map<String, DrlText> builtTexts() {
        return java.util.Collections.unmodifiableMap(builtText);
    }

    /** The rules file as the analyst wrote it (a decision table as its CSV or spreadsheet text); null if unknown. */
    DrlText source(String file) {
        return file == null ? null : sourceText.get(file);
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

    /**
     * A problem of what is written at {@code place} (a rule, function or declared type), at the first
     * place one of {@code words} is written in it, else at its header; in a decision table, at the cell that holds
     * the word, else at the rule's row. Only a rule is named as the rule; the others lead the message.
     */
    RuleProblem problem(Place place, java.util.List<String> words, String message, String hint) {
        String rule = place.what().startsWith("rule \"") ? place.what().substring(6, place.what().length() - 1) : null;
        String text = rule == null ? place.what() + ": " + message : message;
        DrlText source = source(place.file());
        if (source == null) {
            return new RuleProblem(place.file(), place.line(), 0, rule, text, hint);
        }
        if (!place.file().endsWith(".drl")) {
            for (String word : words) {
                int at = source.text().indexOf(word);
                if (at >= 0) {
                    DrlText.Position p = source.position(at);
                    return new RuleProblem(place.file(), p.line(), p.column(), rule, text, hint);
                }
            }
            DrlText.Position row = rule == null || source.text().indexOf(rule) < 0 ? null
                    : source.position(source.text().indexOf(rule));
            return new RuleProblem(place.file(), row == null ? 0 : row.line(), row == null ? 0 : row.column(), rule, text, hint);
        }
        int start = place.line() > 0 ? source.offset(place.line(), 1) : 0;
        DrlText.Block block = source.blockAt(start);
        int from = block == null ? start : block.start();
        int to = block == null ? source.text().length() : block.end();
        // the first place any of the words is written: a member written in full starts where its type does
        int first = words.stream().mapToInt(word -> source.find(word, from, to)).filter(at -> at >= 0).min().orElse(-1);
        if (first >= 0) {
            DrlText.Position p = source.position(first);
            return new RuleProblem(place.file(), p.line(), p.column(), rule, text, hint);
        }
        DrlText.Position header = block == null ? null : source.position(block.start());
        return new RuleProblem(place.file(), header == null ? place.line() : header.line(),
                header == null ? 0 : header.column(), rule, text, hint);
    }

    /** Where a rule is written, 1-based: its header in a DRL file, its row in a decision table; 0 when unknown. */
    int lineOf(String ruleName) {
        Place place = rules.get(ruleName);
        return place == null ? 0 : problem(place, java.util.List.of(), "", null).line();
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
