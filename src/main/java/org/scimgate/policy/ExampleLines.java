package org.scimgate.policy;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Where each entry of an {@code examples.yaml} is written, 1-based: a rule's key, its
 * {@code allowed} and {@code disallowed} lists, and each example in them; and where the YAML
 * stops being YAML. Problems of the examples are reported there.
 */
final class ExampleLines {

    private final Map<String, int[]> at = new HashMap<>();
    private int[] broken;

    private ExampleLines() {
    }

    static ExampleLines of(String text) {
        ExampleLines lines = new ExampleLines();
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            lines.broken = e.getProblemMark() == null ? null : position(e.getProblemMark());
            return lines;
        } catch (YAMLException e) {
            return lines;
        }
        if (root instanceof MappingNode byRule) {
            for (NodeTuple rule : byRule.getValue()) {
                String name = rule.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                lines.at.put(key(name, null, 0), position(rule.getKeyNode().getStartMark()));
                if (rule.getValueNode() instanceof MappingNode kinds) {
                    for (NodeTuple kind : kinds.getValue()) {
                        String k = kind.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                        lines.at.put(key(name, k, 0), position(kind.getKeyNode().getStartMark()));
                        if (kind.getValueNode() instanceof SequenceNode examples) {
                            List<Node> items = examples.getValue();
                            for (int i = 0; i < items.size(); i++) {
                                lines.at.put(key(name, k, i + 1), position(items.get(i).getStartMark()));
                            }
                        }
                    }
                }
            }
        }
        return lines;
    }

    /**
     * The line and column of the rule's entry, of its {@code kind} list (kind null: the rule's key),
     * or of its {@code index}-th example (from 1; 0 for the list); {0, 0} when not found.
     */
    int[] of(String rule, String kind, int index) {
        int[] found = at.get(key(rule, kind, index));
        if (found == null && index > 0) {
            found = at.get(key(rule, kind, 0));
        }
        if (found == null && kind != null) {
            found = at.get(key(rule, null, 0));
        }
        return found == null ? new int[2] : found;
    }

    /** Where the text stops being YAML, or {0, 0}. */
    int[] broken() {
        return broken == null ? new int[2] : broken;
    }

    private static String key(String rule, String kind, int index) {
        return rule + "\u0000" + kind + "\u0000" + index;
    }

    private static int[] position(Mark mark) {
        return new int[] {mark.getLine() + 1, mark.getColumn() + 1};
    }
}
