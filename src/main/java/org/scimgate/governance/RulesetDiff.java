package org.scimgate.governance;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The difference between two kept rulesets, one unified diff per file that differs. */
final class RulesetDiff {

    /** One file: {@code added}, {@code removed} or {@code changed}, with its unified diff. */
    record FileDiff(String path, String change, String diff) {
    }

    private RulesetDiff() {
    }

    static List<FileDiff> between(String a, Map<String, byte[]> from, String b, Map<String, byte[]> to) {
        TreeSet<String> paths = new TreeSet<>(from.keySet());
        paths.addAll(to.keySet());
        return paths.stream().filter(p -> !Arrays.equals(from.get(p), to.get(p))).map(path -> {
            List<String> before = lines(from.get(path));
            List<String> after = lines(to.get(path));
            List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(a + "/" + path, b + "/" + path, before,
                    DiffUtils.diff(before, after), 3);
            String change = from.get(path) == null ? "added" : to.get(path) == null ? "removed" : "changed";
            return new FileDiff(path, change, String.join("\n", unified) + "\n");
        }).toList();
    }

    private static List<String> lines(byte[] content) {
        return content == null ? List.of() : new String(content, StandardCharsets.UTF_8).lines().toList();
    }
}
