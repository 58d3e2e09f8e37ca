package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scimgate.support.CliRun;

/**
 * Rules that provably finish: the capability check refuses, before any rule code runs, what would
 * let a rule run or allocate as long as its input says (loops, recursion, endless streams, sized
 * allocations), naming the file and line of the rule or function. Each ruleset here is accepted by
 * a check that reads only the allow-list, and each would spin, overflow or exhaust the heap.
 */
class RulesThatFinishTest {

    @TempDir
    Path dir;

    private static final String RULE = """
            rule "%s"
                @code("X")
            when
                %s
            then
                %s
            end
            """;

    private static String rule(String name, String when, String then) {
        return RULE.formatted(name, when, then);
    }

    private static final String INSERT = "insert(new Violation(\"a\", \"b\"));";
    private static final String LOOP = "a loop (for, while, do) is not allowed in rules, which must provably finish";
    private static final String SIZED = " is not allowed in rules: it runs or allocates as much as its arguments say";

    static List<Arguments> unboundedRules() {
        return List.of(
                Arguments.of("a function that calls itself", """
                        function int depth(String s) {
                            return s.isEmpty() ? 0 : 1 + depth(s.substring(1));
                        }
                        """ + rule("deep", "ScimUser( depth(userName) > 3 )", INSERT),
                        "sneaky/sneaky.drl:5:1 function depth: calls itself: recursion is not allowed in rules, "
                                + "which must provably finish"),
                Arguments.of("functions that call each other", """
                        function boolean even(int n) {
                            return n == 0 || odd(n - 1);
                        }
                        function boolean odd(int n) {
                            return n != 0 && even(n - 1);
                        }
                        """ + rule("even", "ScimUser( even(userName.length() * 1000000) )", INSERT),
                        "sneaky/sneaky.drl:5:1 function even: recursion through even -> odd -> even: recursion is not "
                                + "allowed in rules, which must provably finish"),
                Arguments.of("a function whose lambda calls it back", """
                        function int size(java.util.List l) {
                            return l.stream().mapToInt(x -> size(l)).sum();
                        }
                        """ + rule("sizes", "$u : ScimUser( size(emails) > 0 )", INSERT),
                        "sneaky/sneaky.drl:5:1 function size: calls itself: recursion is not allowed in rules, "
                                + "which must provably finish"),
                Arguments.of("a loop in a consequence", rule("each email", "$u : ScimUser( )", """
                        for (Email e : $u.emails()) { insert(new Violation("emails", e.value())); }"""),
                        "sneaky/sneaky.drl:10:5 rule \"each email\": " + LOOP),
                Arguments.of("a loop in a function", """
                        function boolean spin(String s) {
                            while (s != null) { }
                            return true;
                        }
                        """ + rule("spins", "ScimUser( spin(userName) )", INSERT),
                        "sneaky/sneaky.drl:6:5 function spin: " + LOOP),
                Arguments.of("a loop behind an eval", """
                        function boolean countDown(int n) {
                            for (int i = n; i > 0; i--) { }
                            return true;
                        }
                        """ + rule("counts down", "ScimUser( ) eval( countDown(1000000) )", INSERT),
                        "sneaky/sneaky.drl:6:5 function countDown: " + LOOP),
                Arguments.of("a loop that allocates", """
                        function String grow(String s) {
                            StringBuilder b = new StringBuilder();
                            do { b.append(s).append(b); } while (b.length() > 0);
                            return b.toString();
                        }
                        """ + rule("grows", "ScimUser( grow(userName) != null )", INSERT),
                        "sneaky/sneaky.drl:7:5 function grow: " + LOOP),
                Arguments.of("String.repeat", rule("repeats", "$u : ScimUser( )",
                                "insert(new Violation(\"a\", \"x\".repeat($u.userName().length() * 100000000)));"),
                        "sneaky/sneaky.drl:10:35 rule \"repeats\": java.lang.String.repeat" + SIZED),
                Arguments.of("an array of the input's size", rule("sized", "$u : ScimUser( )",
                                "int[] a = new int[$u.userName().length() * 100000000]; insert(new Violation(\"a\", \"\" + a.length));"),
                        "sneaky/sneaky.drl:5:1 rule \"sized\": an array whose size is not a constant of at most 1024 "
                                + "is not allowed in rules"),
                Arguments.of("a huge constant array", rule("huge", "$u : ScimUser( )",
                                "long[] a = new long[2000000000]; insert(new Violation(\"a\", \"\" + a.length));"),
                        "sneaky/sneaky.drl:5:1 rule \"huge\": an array whose size is not a constant of at most 1024 "
                                + "is not allowed in rules"),
                Arguments.of("Stream.iterate", rule("counts up", "$u : ScimUser( )",
                                "insert(new Violation(\"a\", \"\" + java.util.stream.Stream.iterate(1, x -> x + 1)"
                                        + ".filter(x -> x < 0).findFirst()));"),
                        "sneaky/sneaky.drl:10:36 rule \"counts up\": java.util.stream.Stream.iterate" + SIZED),
                Arguments.of("Stream.generate", rule("generates", "$u : ScimUser( )",
                                "insert(new Violation(\"a\", \"\" + java.util.stream.Stream.generate(() -> 1).count()));"),
                        "sneaky/sneaky.drl:10:36 rule \"generates\": java.util.stream.Stream.generate" + SIZED),
                Arguments.of("LongStream.range", rule("ranges", "$u : ScimUser( )",
                                "insert(new Violation(\"a\", \"\" + java.util.stream.LongStream.range(0, Long.MAX_VALUE).sum()));"),
                        "sneaky/sneaky.drl:10:36 rule \"ranges\": java.util.stream.LongStream.range" + SIZED),
                Arguments.of("Collections.nCopies", rule("copies", "$u : ScimUser( )",
                                "insert(new Violation(\"a\", \"\" + new java.util.ArrayList(java.util.Collections.nCopies("
                                        + "Integer.MAX_VALUE - 8, $u))));"),
                        "sneaky/sneaky.drl:10:60 rule \"copies\": java.util.Collections.nCopies" + SIZED),
                Arguments.of("a sized collection", rule("presized", "$u : ScimUser( )",
                                "insert(new Violation(\"a\", \"\" + new java.util.ArrayList($u.userName().length() * 100000000)));"),
                        "sneaky/sneaky.drl:10:40 rule \"presized\": new java.util.ArrayList(int)" + SIZED),
                Arguments.of("a format width", rule("pads", "$u : ScimUser( )",
                                "insert(new Violation(\"a\", String.format(\"%2000000000s\", $u.userName())));"),
                        "sneaky/sneaky.drl:10:31 rule \"pads\": java.lang.String.format" + SIZED),
                Arguments.of("an anonymous class library code iterates", rule("endless", "$u : ScimUser( )", """
                        java.util.List l = new java.util.ArrayList(new java.util.AbstractList() {
                            public Object get(int i) { return "x"; }
                            public int size() { return Integer.MAX_VALUE - 8; }
                        });"""),
                        "an anonymous or local class is not allowed in rules; write a lambda"),
                Arguments.of("a stack trace", rule("traces", "$u : ScimUser( )",
                                "insert(new Violation(\"a\", \"\" + new RuntimeException().getStackTrace().length));"),
                        "sneaky/sneaky.drl:10:59 rule \"traces\": java.lang.RuntimeException.getStackTrace is not allowed in rules"),
                Arguments.of("the engine behind drools", rule("reaches the engine", "$u : ScimUser( )",
                                "drools.getRuntime(Object.class);"),
                        "sneaky/sneaky.drl:10:12 rule \"reaches the engine\": org.drools.model.Drools.getRuntime is not allowed in rules"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unboundedRules")
    void refusesCodeThatNeedNotFinishByRulesCheckAndByALoad(String what, String drl, String expected) throws IOException {
        write(RuleCapabilityCheckTest.HEADER + drl);

        CliRun check = CliRun.of(Map.of(), "rules", "check", dir.toString());
        assertThat(check.exit()).as(what).isEqualTo(RulesCommand.FAILED);
        assertThat(check.err()).as(what).contains(expected);

        assertThatThrownBy(() -> PolicyEngine.load(dir, Clock.systemUTC()).close()).as(what)
                .isInstanceOfSatisfying(RulesetRejected.class, e -> assertThat(e.problems())
                        .extracting(RuleProblem::toString).anySatisfy(p -> assertThat(p).contains(expected)));
    }

    @Test
    void acceptsBoundedCodeConstantArraysStreamsOverTheInputAndLambdas() throws IOException {
        write(RuleCapabilityCheckTest.HEADER + """
                function String initials(String s) {
                    String[] parts = new String[] {s, s.strip()};
                    return parts.length > 1 && !s.isEmpty() ? s.substring(0, 1) : "";
                }
                """ + rule("bounded", "$u : ScimUser( userName != null, initials(userName) != null )", """
                java.util.List<String> values = $u.emails().stream().map(e -> e.value()).sorted().toList();
                java.util.Map<String, Integer> counts = new java.util.HashMap<>();
                values.forEach(v -> counts.merge(v, 1, Integer::sum));
                int[] fixed = new int[16];
                insert(new Violation("emails", values + " " + counts + " " + fixed.length + " " + new StringBuilder("x")));"""));
        try (Ruleset ruleset = new RulesetCompiler(Clock.systemUTC()).compile(dir)) {
            assertThat(ruleset.rules()).extracting(PolicyRule::name).containsExactly("bounded");
        }
    }

    @Test
    void anOperatorsExplicitEntryAllowsAnUnboundedMember() throws IOException {
        write(RuleCapabilityCheckTest.HEADER + rule("repeats", "$u : ScimUser( )",
                "insert(new Violation(\"a\", \"-\".repeat(3)));"));
        assertThatThrownBy(() -> new RulesetCompiler(Clock.systemUTC()).compile(dir))
                .hasMessageContaining("java.lang.String.repeat" + SIZED);
        RulesetCompiler allowing = new RulesetCompiler(Clock.systemUTC(),
                RuleCapabilities.of(List.of("java.lang.String#repeat")), PolicySettings.DEFAULT_EVALUATION_TIMEOUT);
        try (Ruleset ruleset = allowing.compile(dir)) {
            assertThat(ruleset.rules()).hasSize(1);
        }
    }

    private void write(String content) throws IOException {
        Path file = dir.resolve("sneaky/sneaky.drl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
