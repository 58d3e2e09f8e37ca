package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestRules;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;

/**
 * The capability allow-list, checked on the classes Drools compiles for a ruleset before any of
 * them runs: however a DRL spells a call, the compiled code names what it uses.
 */
class RuleCapabilityCheckTest {

    static final String HEADER = """
            package sneaky;
            import org.scimgate.scim.ScimUser;
            import org.scimgate.scim.Email;
            import org.scimgate.policy.Violation;
            """;

    @TempDir
    Path dir;

    private final RulesetCompiler compiler = new RulesetCompiler(Clock.systemUTC());

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private List<String> refusals(String drl) throws IOException {
        write("sneaky/sneaky.drl", HEADER + drl);
        try {
            compiler.compile(dir).close();
        } catch (RulesetRejected e) {
            return e.problems().stream().map(RuleProblem::toString).toList();
        }
        throw new AssertionError("the ruleset was accepted");
    }

    private static String rule(String name, String when, String then) {
        return """
                rule "%s"
                    @code("X")
                when
                    %s
                then
                    %s
                end
                """.formatted(name, when, then);
    }

    @Test
    void refusesTheIssuesRuleBeforeItRunsNamingFileLineRuleAndMember() throws IOException {
        Path target = dir.resolve("pwned-by-drl");
        List<String> problems = refusals(TestRules.WRITES_A_FILE.formatted(target));
        assertThat(problems).contains("sneaky/sneaky.drl:13:5 rule \"harmless looking\": "
                + "java.nio.file.Files.writeString is not allowed in rules");
        assertThat(target).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a constraint call      | ScimUser( java.lang.Runtime.getRuntime() != null )                      | insert(new Violation("a", "b"));                            | java.lang.Runtime.getRuntime
            eval                   | ScimUser( ) eval( java.lang.System.getenv("HOME") != null )             | insert(new Violation("a", "b"));                            | java.lang.System.getenv
            new of any class       | ScimUser( )                                                             | new java.io.File("/tmp/x").delete();                        | new java.io.File
            Class.forName          | ScimUser( )                                                             | Class.forName("java.lang.Runtime");                         | java.lang.Class.forName
            getClass().getMethod   | $u : ScimUser( )                                                        | $u.getClass().getMethod("userName");                        | getClass
            MethodHandles          | ScimUser( )                                                             | java.lang.invoke.MethodHandles.lookup();                    | java.lang.invoke.MethodHandles.lookup
            a lambda body          | $u : ScimUser( )                                                        | $u.emails().forEach(e -> java.lang.Runtime.getRuntime());   | java.lang.Runtime.getRuntime
            a method reference     | $u : ScimUser( )                                                        | $u.emails().forEach(java.lang.System.out::println);         | java.lang.System.out
            a thread               | ScimUser( )                                                             | new Thread(() -> {}).start();                               | new java.lang.Thread
            from                   | $u : ScimUser( ) $p : Object( ) from java.lang.ProcessHandle.current()  | insert(new Violation("a", "b"));                            | java.lang.ProcessHandle.current
            accumulate             | $n : Number( ) from accumulate( ScimUser( $v : java.lang.System.nanoTime() ), count($v) ) | insert(new Violation("a", "b"));    | java.lang.System.nanoTime
            a system property      | ScimUser( )                                                             | Boolean.getBoolean("x");                                    | java.lang.Boolean.getBoolean
            the rules engine       | ScimUser( )                                                             | org.kie.api.KieServices.Factory.get();                      | org.kie.api.KieServices
            """)
    void refusesForbiddenCodeHoweverTheDrlSpellsIt(String how, String when, String then, String forbidden)
            throws IOException {
        List<String> problems = refusals(rule("uses " + how, when, then));
        // at the line it is written on: the condition's (8) or the consequence's (10), not the rule's header (5)
        int line = then.contains(forbidden.substring(forbidden.lastIndexOf('.') + 1)) ? 10 : 8;
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .matches(java.util.regex.Pattern.quote("sneaky/sneaky.drl:" + line + ":") + "\\d+ "
                        + java.util.regex.Pattern.quote("rule \"uses " + how + "\": ") + ".*")
                .contains(forbidden).endsWith(" is not allowed in rules"));
    }

    @Test
    void refusesAFunctionNamingTheFunction() throws IOException {
        List<String> problems = refusals("""
                function String home(String name) {
                    return System.getenv(name);
                }
                """ + rule("calls a function", "$u : ScimUser( home(\"HOME\") != null )", "insert(new Violation(\"a\", \"b\"));"));
        assertThat(problems).contains("sneaky/sneaky.drl:6:12 function home: java.lang.System.getenv is not allowed in rules");
    }

    @Test
    void refusesADeclaredTypeWhoseFieldInitialiserRunsForbiddenCode() throws IOException {
        List<String> problems = refusals("""
                declare Spy
                    home : String = java.lang.System.getenv("HOME")
                end
                """ + rule("uses a declared type", "ScimUser( )", "insert(new Spy());"));
        assertThat(problems).contains("sneaky/sneaky.drl:6:21 declare Spy: java.lang.System.getenv is not allowed in rules");
    }

    @Test
    void refusesADeclaredEnumBeforeDroolsBuildsItAndRunsItsConstants() throws IOException {
        Path target = dir.resolve("written-by-an-enum");
        List<String> problems = refusals("""
                declare enum Level
                    LOW(String.valueOf(new java.io.File("%s").mkdir()));
                    label : String
                end
                """.formatted(target) + rule("uses a declared enum", "ScimUser( )", "insert(new Violation(\"a\", \"\" + Level.LOW));"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sneaky/sneaky.drl:5 declare enum Level: "
                + "declared enums are not allowed in rules"));
        assertThat(target).doesNotExist();
    }

    @Test
    void refusesADeclaredTypeWhoseFieldInitialiserWouldWriteAFileWithoutRunningIt() throws IOException {
        Path target = dir.resolve("written-by-a-declared-type");
        List<String> problems = refusals("""
                declare Spy
                    label : String = String.valueOf(new java.io.File("%s").mkdir())
                end
                """.formatted(target) + rule("uses a declared type", "ScimUser( )", "insert(new Spy());"));
        assertThat(problems).contains("sneaky/sneaky.drl:6:41 declare Spy: new java.io.File is not allowed in rules");
        assertThat(target).doesNotExist();
    }

    @Test
    void refusesADeclaredTypeThatExtendsAForbiddenType() throws IOException {
        List<String> problems = refusals("""
                import java.util.Timer;
                declare Spy extends Timer
                    name : String
                end
                """ + rule("uses a declared type", "ScimUser( )", "insert(new Spy());"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("java.util.Timer"));
    }

    @Test
    void refusesInlineAccumulateCodeWhichTheExecutableModelCannotCompile() throws IOException {
        List<String> problems = refusals("""
                rule "counts with inline code"
                    @code("X")
                when
                    $n : Integer( ) from accumulate( ScimUser( ),
                        init( int n = 0; ),
                        action( n += java.lang.Runtime.getRuntime().availableProcessors(); ),
                        result( n ) )
                then
                    insert(new Violation("a", "b"));
                end
                """);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Drools cannot compile the ruleset"));
    }

    @Test
    void refusesAnMvelConsequence() throws IOException {
        List<String> problems = refusals("""
                rule "written in mvel"
                    @code("X")
                    dialect "mvel"
                when
                    ScimUser( )
                then
                    java.lang.Runtime.getRuntime().exec("id");
                end
                """);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("java.lang.Runtime"));
    }

    @Test
    void refusesAGlobalOfAForbiddenTypeAndTheRuleContextsRuntime() throws IOException {
        List<String> problems = refusals("global java.io.File out;\n"
                + rule("uses the rule context", "ScimUser( )", "kcontext.getKieRuntime().halt();"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("java.io.File is not allowed in rules"))
                .anySatisfy(p -> assertThat(p).contains("getKieRuntime is not allowed in rules"));
    }

    @Test
    void refusesAParallelStreamWhichWouldRunOutsideTheTimeBound() throws IOException {
        List<String> problems = refusals(rule("counts in parallel", "$u : ScimUser( )",
                "insert(new Violation(\"a\", \"\" + $u.emails().parallelStream().count()));"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("parallelStream is not allowed in rules"));
    }

    @Test
    void refusesAStaticImport() throws IOException {
        List<String> problems = refusals("import function java.lang.System.getenv;\n"
                + rule("uses a static import", "ScimUser( getenv(\"HOME\") != null )", "insert(new Violation(\"a\", \"b\"));"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("java.lang.System.getenv is not allowed in rules"));
    }

    @Test
    void refusesRulesInAPackageThatPassesForDrools() throws IOException {
        write("x/x.drl", """
                package org.drools.project.model;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;
                """ + rule("poses as Drools", "ScimUser( )", "insert(new Violation(\"a\", \"b\"));"));
        assertThatThrownBy(() -> compiler.compile(dir)).isInstanceOfSatisfying(RulesetRejected.class, e ->
                assertThat(e.problems()).anySatisfy(p -> assertThat(p.toString())
                        .contains("rules may not be declared in package org.drools.project.model")));
    }

    @Test
    void acceptsWhatPolicyRulesNeedFunctionsCollectionsStreamsTimeAndDeclaredTypes() throws IOException {
        write("sneaky/sneaky.drl", HEADER + """
                import java.util.List;
                import java.util.stream.Collectors;

                declare Finding
                    field : String
                end

                function String shout(String s) {
                    return s == null ? "" : s.toUpperCase(java.util.Locale.ROOT).strip();
                }

                rule "Several primary emails"
                    @code("X")
                when
                    $u : ScimUser( userName != null, shout(userName).length() > 0 )
                    $n : Number( intValue > 1 ) from accumulate( Email( primary ) from $u.emails(), count(1) )
                then
                    modify($u) { };
                    List<String> values = $u.emails().stream().map(e -> e.value()).sorted().collect(Collectors.toList());
                    java.time.LocalDate today = java.time.LocalDate.of(2026, 1, 1);
                    insert(new Finding("emails"));
                    insert(new Violation("emails", values + " " + today + " " + Math.max(1, $n.intValue())));
                end
                """);
        try (Ruleset ruleset = compiler.compile(dir)) {
            assertThat(ruleset.rules()).extracting(PolicyRule::name).containsExactly("Several primary emails");
        }
    }

    @Test
    void operatorAllowsMoreTypesThroughConfigurationNotTheRulesFolder() throws IOException {
        write("sneaky/sneaky.drl", HEADER + rule("uses a bit set", "ScimUser( )",
                "insert(new Violation(\"a\", String.valueOf(new java.util.BitSet().size())));"));
        assertThatThrownBy(() -> compiler.compile(dir)).hasMessageContaining("new java.util.BitSet is not allowed in rules");
        RulesetCompiler extended = new RulesetCompiler(Clock.systemUTC(),
                RuleCapabilities.of(List.of("java.util.BitSet")), Duration.ofSeconds(2));
        try (Ruleset ruleset = extended.compile(dir)) {
            assertThat(ruleset.rules()).hasSize(1);
        }
    }

    @Test
    @Timeout(60)
    void refusesOnTheCallersThreadARuleThatOverrunsTheTimeoutInAConstraint() throws IOException {
        write("sneaky/sneaky.drl", HEADER + """
                function boolean spin(String s) {
                    // Rules cannot loop: this runs long in library code the operator allowed, past the time limit.
                    return org.scimgate.support.SlowRules.runsLongIf(s, "", 1000);
                }
                """ + rule("loops", "ScimUser( spin(userName) )", "insert(new Violation(\"a\", \"b\"));"));
        RulesetCompiler quick = new RulesetCompiler(Clock.systemUTC(),
                RuleCapabilities.of(List.of(org.scimgate.support.SlowRules.ALLOW)), Duration.ofMillis(200));
        try (Ruleset ruleset = quick.compile(dir)) {
            ScimUser user = ScimUserReader.read(new ObjectMapper().readTree("{\"userName\":\"jane\"}"), "user");
            assertThatThrownBy(() -> ruleset.evaluate(user))
                    .isInstanceOf(EvaluationTimedOut.class).hasMessageContaining("did not finish");
            assertThat(org.scimgate.support.SlowRules.lastThread()).as("no hand-off").isSameAs(Thread.currentThread());
        }
    }
}
