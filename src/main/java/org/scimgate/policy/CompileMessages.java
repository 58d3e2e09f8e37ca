package org.scimgate.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.builder.Message;

/**
 * Drools' compile errors in the analyst's terms. Each names the rules file (a decision table, not
 * the DRL generated from it), the line and column there, and the rule, once. Errors in the Java
 * Drools generates for a consequence or constraint are mapped back to the DRL: the generated line
 * is the analyst's statement, found in the rule that holds it (or, failing that, the word the
 * error is about, in any rule); a generated class or path never reaches the analyst. A missing
 * {@code end} or {@code )} is reported where it is missing, without the parser's follow-on noise.
 */
final class CompileMessages {

    private static final String RESOURCES = "src/main/resources/";
    private static final String JAVA_SOURCE = "Java source of ";
    private static final Pattern PARSER = Pattern.compile(
            "(?s)\\[ERR \\d+\\] Line (\\d+):(\\d+) (.*?)(?: in (?:rule|query|function) \"?([^\"]*?)\"?)?\\s*$");
    private static final Pattern NULL_PACKAGE = Pattern.compile("Parser returned a null Package");
    /** The word an error is about, as Drools and the Java compiler put it, most specific first. */
    private static final List<Pattern> SUBJECT = List.of(
            Pattern.compile("The method (\\w+)\\("),
            Pattern.compile("Method (\\w+) on class"),
            Pattern.compile("Unable to find class: ([\\w.$]+)"),
            Pattern.compile("Unable to parse left part of expression: (.+)$"),
            Pattern.compile("Unable to (?:parse|analyze) expression:? '?(.+?)'?$"),
            Pattern.compile("([\\w.$]+) cannot be resolved"),
            Pattern.compile("Unknown (?:property|class|field):? '?([\\w.$]+)"),
            Pattern.compile("'([^']+)'"),
            Pattern.compile("\"([^\"]+)\""));
    private static final Pattern GENERATED = Pattern.compile(
            "src/main/java/[\\w/$]+\\.java(:\\d+(:\\d+)?)?|\\b[\\w.]*Lambda(?:Consequence|Predicate|Extractor|Consumer)\\w*"
                    + "|\\b[\\w.]*\\.Rules[0-9A-F]{16,}\\w*");

    private final RuleSources sources;
    private final Map<String, String> generatedSources = new HashMap<>();

    private CompileMessages(RuleSources sources) {
        this.sources = sources;
    }

    static List<RuleProblem> of(List<Message> messages, RuleSources sources) {
        return new CompileMessages(sources).translate(messages);
    }

    /** Whatever Drools threw, without the names of the classes it generated. */
    static String scrub(String text) {
        return text == null ? "" : GENERATED.matcher(text).replaceAll("(generated code)");
    }

    private List<RuleProblem> translate(List<Message> messages) {
        for (Message m : messages) {
            if (m.getText() != null && m.getText().startsWith(JAVA_SOURCE)) {
                String text = m.getText();
                generatedSources.put(m.getPath(), text.indexOf('\n') < 0 ? "" : text.substring(text.indexOf('\n') + 1));
            }
        }
        Map<String, List<RuleProblem>> byFile = new LinkedHashMap<>();
        Map<String, Boolean> unparsed = new HashMap<>();
        for (Message m : messages) {
            String text = m.getText() == null ? "" : m.getText().strip();
            if (text.startsWith(JAVA_SOURCE)) {
                continue;
            }
            String built = stripResources(m.getPath());
            DrlText drl = built == null ? null : sources.built(built);
            if (drl != null && NULL_PACKAGE.matcher(text).find()) {
                unparsed.put(built, true);
                continue;
            }
            RuleProblem problem = drl != null ? inDrl(built, drl, m, text) : inGenerated(m, text);
            byFile.computeIfAbsent(drl != null ? built : "", k -> new ArrayList<>()).add(problem);
        }
        unparsed.keySet().forEach(built -> byFile.computeIfAbsent(built, k -> new ArrayList<>(List.of(
                new RuleProblem(sources.sourceOf(built), 0, 0, "Drools could not read the file.")))));
        List<RuleProblem> problems = new ArrayList<>();
        byFile.forEach((built, found) -> problems.addAll(built.isEmpty() ? found : withSyntax(built, found)));
        return merged(problems);
    }

    /**
     * The file's problems, with a missing {@code end} or parenthesis in place of what the parser
     * said about the rule it is in and the rules after it (which it could no longer read).
     */
    private List<RuleProblem> withSyntax(String built, List<RuleProblem> found) {
        DrlText drl = sources.built(built);
        if (!built.equals(sources.sourceOf(built))) {
            return found; // a decision table's DRL is generated: its syntax is Drools' own
        }
        List<DrlSyntax.Found> syntax = DrlSyntax.of(sources.sourceOf(built), drl);
        if (syntax.isEmpty()) {
            return found;
        }
        int from = drl.lineOf(syntax.get(0).block().start());
        List<RuleProblem> kept = new ArrayList<>(found.stream().filter(p -> p.line() > 0 && p.line() < from).toList());
        syntax.forEach(s -> kept.add(s.problem()));
        return kept;
    }

    private RuleProblem inDrl(String built, DrlText drl, Message m, String text) {
        String file = sources.sourceOf(built);
        boolean table = !file.equals(built);
        Matcher parser = PARSER.matcher(text);
        if (parser.matches()) {
            int line = Integer.parseInt(parser.group(1));
            int column = Integer.parseInt(parser.group(2)) + 1;
            DrlText.Block block = drl.blockAt(drl.offset(line, column));
            String rule = parser.group(4) != null ? parser.group(4) : block != null && block.isRule() ? block.name() : null;
            return table ? inTable(file, rule, parser.group(3), null)
                    : new RuleProblem(file, line, column, rule, parser.group(3), null);
        }
        if (m.getLine() > 0 && !table) {
            int offset = drl.offset(m.getLine(), Math.max(m.getColumn(), 1));
            DrlText.Block block = drl.blockAt(offset);
            return new RuleProblem(file, m.getLine(), m.getColumn() > 0 ? m.getColumn() : 0,
                    block != null && block.isRule() ? block.name() : null, text, Hints.of(text, subject(text), drl, offset));
        }
        return located(drl, file, table, text, subject(text), 0, drl.text().length());
    }

    /** A message about {@code word} somewhere in the built DRL between the offsets: at the word, in its rule. */
    private RuleProblem located(DrlText drl, String file, boolean table, String text, String word, int from, int to) {
        int at = word == null ? -1 : drl.find(word, from, to);
        if (at < 0 && word != null && word.contains(" ")) {
            at = drl.find(word.split("\\s+")[0], from, to);
        }
        DrlText.Block block = at >= 0 ? drl.blockAt(at) : from > 0 ? drl.blockAt(from) : null;
        String rule = block != null && block.isRule() ? block.name() : null;
        String hint = Hints.of(text, at >= 0 ? firstWord(drl.code(), at) : word, drl, at);
        if (table) {
            return inTable(file, rule, text, word == null ? null : firstWord(word, 0), hint);
        }
        if (at < 0) {
            DrlText.Position header = block == null ? null : drl.position(block.start());
            return new RuleProblem(file, header == null ? 0 : header.line(), header == null ? 0 : header.column(),
                    rule, text, hint);
        }
        DrlText.Position p = drl.position(at);
        return new RuleProblem(file, p.line(), p.column(), rule, text, hint);
    }

    private RuleProblem inTable(String file, String rule, String text, String word) {
        return inTable(file, rule, text, word, null);
    }

    /** In a decision table: the cell that holds the word (a template shared by its rows), else the rule's row. */
    private RuleProblem inTable(String file, String rule, String text, String word, String hint) {
        DrlText table = sources.source(file);
        int at = table == null || word == null ? -1 : table.text().indexOf(word);
        if (at < 0 && table != null && rule != null) {
            at = table.text().indexOf(rule);
        }
        if (at < 0) {
            return new RuleProblem(file, 0, 0, rule, text, hint);
        }
        DrlText.Position p = table.position(at);
        return new RuleProblem(file, p.line(), p.column(), rule, text, hint);
    }

    /** An error in the Java Drools generated: at the analyst's statement it came from. */
    private RuleProblem inGenerated(Message m, String text) {
        String message = scrub(text);
        String word = subject(text);
        String source = generatedSources.get(m.getPath());
        String statement = null;
        if (source != null && m.getLine() > 0) {
            String[] lines = source.split("\n", -1);
            statement = m.getLine() <= lines.length ? normalised(lines[m.getLine() - 1]) : null;
        }
        for (Map.Entry<String, DrlText> built : sources.builtTexts().entrySet()) {
            DrlText drl = built.getValue();
            for (DrlText.Block block : drl.blocks()) {
                if (block.isRule() && statement != null && statement.length() > 3
                        && normalised(drl.text().substring(block.start(), block.end())).contains(statement)) {
                    String file = sources.sourceOf(built.getKey());
                    return located(drl, file, !file.equals(built.getKey()), message, word, block.start(), block.end());
                }
            }
        }
        for (Map.Entry<String, DrlText> built : sources.builtTexts().entrySet()) {
            if (word != null && built.getValue().find(word, 0, built.getValue().text().length()) >= 0) {
                String file = sources.sourceOf(built.getKey());
                return located(built.getValue(), file, !file.equals(built.getKey()), message, word, 0,
                        built.getValue().text().length());
            }
        }
        return new RuleProblem(fileOfGenerated(m.getPath()), 0, 0, null, message, null);
    }

    /** The rules file of the package a generated class sits in (its package or the one above). */
    private String fileOfGenerated(String path) {
        if (path == null || !path.startsWith("src/main/java/")) {
            return null;
        }
        String pkg = path.substring("src/main/java/".length(), Math.max(path.lastIndexOf('/'), "src/main/java/".length()))
                .replace('/', '.');
        String file = sources.fileOfPackage(pkg);
        return file != null || !pkg.contains(".") ? file : sources.fileOfPackage(pkg.substring(0, pkg.lastIndexOf('.')));
    }

    /** A line of code without spaces and without the {@code drools.} Drools puts before insert, modify and delete. */
    private static String normalised(String code) {
        return code.replaceAll("\\bdrools\\.", "").replaceAll("\\s+", "");
    }

    private static String subject(String text) {
        for (Pattern p : SUBJECT) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                return m.group(1).strip();
            }
        }
        return null;
    }

    private static String firstWord(String text, int at) {
        Matcher m = Pattern.compile("[\\w$.]+").matcher(text);
        return m.find(at) ? m.group() : null;
    }

    /**
     * One problem per place and message: the same mistake in a decision table's template is reported
     * once for the cell, naming its rules.
     */
    private List<RuleProblem> merged(List<RuleProblem> problems) {
        Map<List<Object>, List<RuleProblem>> same = new LinkedHashMap<>();
        for (RuleProblem p : problems) {
            same.computeIfAbsent(List.of(p.file(), p.line(), p.column(), p.message()), k -> new ArrayList<>()).add(p);
        }
        List<RuleProblem> merged = new ArrayList<>();
        same.values().forEach(group -> {
            List<String> rules = group.stream().map(RuleProblem::rule).filter(java.util.Objects::nonNull).distinct()
                    .sorted(java.util.Comparator.comparingInt(sources::lineOf)).toList();
            RuleProblem first = group.get(0);
            if (rules.size() <= 1) {
                merged.add(first);
            } else {
                merged.add(new RuleProblem(first.file(), first.line(), first.column(), null,
                        "rules " + rules.stream().map(r -> "\"" + r + "\"").collect(java.util.stream.Collectors.joining(", "))
                                + ": " + first.message(), first.hint()));
            }
        });
        return merged;
    }

    private static String stripResources(String path) {
        if (path == null) {
            return null;
        }
        return path.startsWith(RESOURCES) ? path.substring(RESOURCES.length()) : path;
    }
}
