package org.scimgate.policy;

import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The allow-lists and patterns analysts change most often, kept in {@code rules/reference-data.yaml}
 * apart from the DRL logic and inserted as facts into every evaluation:
 *
 * <pre>
 * lists:
 *   allowed-departments: [Engineering, Sales]
 * patterns:
 *   cost-center: '^CC-[0-9]{4}$'
 * conflicting-groups:
 *   - [Finance Payables, Finance Approvers]
 * </pre>
 */
record ReferenceData(List<ReferenceList> lists, List<ReferencePattern> patterns, List<GroupConflict> conflicts) {

    static final String FILE_NAME = "reference-data.yaml";

    ReferenceData {
        lists = List.copyOf(lists);
        patterns = List.copyOf(patterns);
        conflicts = List.copyOf(conflicts);
    }

    ReferenceData(List<ReferenceList> lists, List<ReferencePattern> patterns) {
        this(lists, patterns, List.of());
    }

    static ReferenceData empty() {
        return new ReferenceData(List.of(), List.of());
    }

    List<Object> facts() {
        List<Object> facts = new ArrayList<>(lists);
        facts.addAll(patterns);
        facts.addAll(conflicts);
        return facts;
    }

    /** Parses the file's text; every problem found is added to {@code problems}. */
    static ReferenceData parse(String text, List<RuleProblem> problems) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            int column = e.getProblemMark() == null ? 0 : e.getProblemMark().getColumn() + 1;
            problems.add(new RuleProblem(FILE_NAME, line, column, "not valid YAML: " + e.getProblem()));
            return empty();
        } catch (YAMLException e) {
            problems.add(new RuleProblem(FILE_NAME, 0, 0, "not valid YAML: " + e.getMessage()));
            return empty();
        }
        if (root == null) {
            return empty();
        }
        if (!(root instanceof Map<?, ?> top)) {
            problems.add(problem("the file must be a mapping with 'lists', 'patterns' and 'conflicting-groups'"));
            return empty();
        }
        for (Object key : top.keySet()) {
            if (!"lists".equals(key) && !"patterns".equals(key) && !CONFLICTS.equals(key)) {
                problems.add(problem("unknown section '" + key + "': only 'lists', 'patterns' and '" + CONFLICTS
                        + "' are read"));
            }
        }
        List<ReferenceList> lists = new ArrayList<>();
        section(top.get("lists"), "lists", problems).forEach((name, value) -> {
            if (value instanceof List<?> entries && entries.stream().allMatch(ReferenceData::isScalar)) {
                lists.add(ReferenceList.of(name, entries.stream().map(String::valueOf).toList()));
            } else {
                problems.add(problem("lists." + name + " must be a list of values"));
            }
        });
        List<ReferencePattern> patterns = new ArrayList<>();
        section(top.get("patterns"), "patterns", problems).forEach((name, value) -> {
            if (!(value instanceof String regex)) {
                problems.add(problem("patterns." + name + " must be a quoted regular expression"));
                return;
            }
            try {
                patterns.add(ReferencePattern.of(name, regex));
            } catch (PatternSyntaxException e) {
                problems.add(problem("patterns." + name + " is not a valid RE2 regular expression: "
                        + e.getDescription() + " at '" + e.getPattern() + "'"));
            }
        });
        return new ReferenceData(lists, patterns, conflicts(top.get(CONFLICTS), problems));
    }

    static final String CONFLICTS = "conflicting-groups";

    /** {@code conflicting-groups}: a list of pairs of group display names, each two different names. */
    private static List<GroupConflict> conflicts(Object value, List<RuleProblem> problems) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> pairs)) {
            problems.add(problem("'" + CONFLICTS + "' must be a list of pairs of group names, "
                    + "such as - [Finance Payables, Finance Approvers]"));
            return List.of();
        }
        List<GroupConflict> conflicts = new ArrayList<>();
        int index = 0;
        for (Object pair : pairs) {
            index++;
            if (!(pair instanceof List<?> names) || names.size() != 2
                    || !names.stream().allMatch(n -> n instanceof String s && !s.isBlank())) {
                problems.add(problem(CONFLICTS + " entry " + index + " must be a pair of two group names, "
                        + "such as [Finance Payables, Finance Approvers]"));
                continue;
            }
            String first = ((String) names.get(0)).strip();
            String second = ((String) names.get(1)).strip();
            if (Membership.key(first).equals(Membership.key(second))) {
                problems.add(problem(CONFLICTS + " entry " + index + " names " + first + " twice: a pair is two "
                        + "different groups"));
                continue;
            }
            conflicts.add(new GroupConflict(first, second));
        }
        return conflicts;
    }

    private static Map<String, Object> section(Object value, String name, List<RuleProblem> problems) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(problem("'" + name + "' must be a mapping of names to entries"));
            return Map.of();
        }
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    private static RuleProblem problem(String message) {
        return new RuleProblem(FILE_NAME, 0, 0, message);
    }
}
