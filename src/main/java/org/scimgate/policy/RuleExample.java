package org.scimgate.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * One example that travels with a rule (an {@code examples.yaml} entry, see {@link Examples}), as
 * a reader of the policy sees it: allowed or disallowed, its name, the user as JSON and the codes
 * it expects.
 *
 * @param kind   {@code allowed} or {@code disallowed}
 * @param expect     the codes a disallowed example expects; empty when it names none
 * @param membership the change of group membership an access rule's example judges, as JSON; null for a user's
 */
public record RuleExample(String file, String kind, String name, String user, List<String> expect, String membership) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public RuleExample {
        expect = List.copyOf(expect);
    }

    /**
     * The examples of every rule of the ruleset, by rule name, in file order. A live ruleset's
     * examples all ran and passed; entries that are not examples are left out here.
     */
    static Map<String, List<RuleExample>> byRule(Map<String, byte[]> files) {
        Map<String, List<RuleExample>> byRule = new LinkedHashMap<>();
        files.forEach((file, bytes) -> {
            Object root;
            try {
                root = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(bytes, StandardCharsets.UTF_8));
            } catch (YAMLException e) {
                return;
            }
            if (root instanceof Map<?, ?> rules) {
                rules.forEach((rule, kinds) -> {
                    if (kinds instanceof Map<?, ?> byKind) {
                        for (String kind : List.of("allowed", "disallowed")) {
                            if (byKind.get(kind) instanceof List<?> examples) {
                                examples.forEach(example -> read(file, kind, example).ifPresent(e ->
                                        byRule.computeIfAbsent(String.valueOf(rule), r -> new ArrayList<>()).add(e)));
                            }
                        }
                    }
                });
            }
        });
        return byRule;
    }

    private static java.util.Optional<RuleExample> read(String file, String kind, Object example) {
        if (!(example instanceof Map<?, ?> fields) || !(fields.get("user") instanceof Map<?, ?> user)) {
            return java.util.Optional.empty();
        }
        List<String> expect = fields.get("expect") instanceof List<?> codes
                ? codes.stream().map(String::valueOf).toList() : List.of();
        try {
            return java.util.Optional.of(new RuleExample(file, kind, String.valueOf(fields.get("name")),
                    JSON.writeValueAsString(user), expect,
                    fields.get("membership") == null ? null : JSON.writeValueAsString(fields.get("membership"))));
        } catch (JsonProcessingException e) {
            return java.util.Optional.empty();
        }
    }
}
