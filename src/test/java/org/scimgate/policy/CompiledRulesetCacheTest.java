package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;
import org.scimgate.support.TestRules;

/**
 * The compiled-ruleset cache a start takes unchanged rules from: it never serves a ruleset for
 * other rule files than those it was compiled from, and refuses an entry that was changed, renamed,
 * or holds code the capability check refuses, compiling the rules instead.
 */
class CompiledRulesetCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path rules;
    @TempDir
    Path cacheDir;

    private RulesetCompiler compiler() {
        return compiler(RuleCapabilities.defaults());
    }

    private RulesetCompiler compiler(RuleCapabilities capabilities) {
        return new RulesetCompiler(Clock.systemUTC(), capabilities, Duration.ofSeconds(10))
                .keepingCompiledIn(new CompiledRulesetCache(cacheDir));
    }

    private static ScimUser user(String department) throws IOException {
        return ScimUserReader.read(JSON.readTree("""
                {"userName":"x@evil.com","emails":[{"value":"x@evil.com","primary":true}],
                 "department":"%s","costCenter":"12345"}""".formatted(department)), "data");
    }

    private static List<String> codes(Ruleset ruleset, ScimUser user) {
        return ruleset.evaluate(user).violations().stream().map(PolicyViolation::code).sorted().toList();
    }

    private Path onlyEntry() throws IOException {
        try (var files = Files.list(cacheDir)) {
            List<Path> entries = files.filter(p -> p.toString().endsWith(".kjar")).toList();
            assertThat(entries).hasSize(1);
            return entries.get(0);
        }
    }

    @Test
    void unchangedRulesAreTakenFromTheCacheAndJudgeExactlyAsCompiledOnes() throws IOException {
        TestRules.copy(Path.of("rules"), rules);
        try (Ruleset compiled = compiler().compile(rules); Ruleset taken = compiler().compile(rules)) {
            assertThat(compiled.taken()).isFalse();
            assertThat(taken.taken()).as("the second start takes what the first one compiled").isTrue();
            assertThat(taken.version()).isEqualTo(compiled.version());
            assertThat(taken.rules()).isEqualTo(compiled.rules());
            for (String department : List.of("Engineering", "Marketing")) {
                assertThat(codes(taken, user(department))).isEqualTo(codes(compiled, user(department))).isNotEmpty();
            }
            assertThat(Examples.run(taken).passed()).isTrue();
        }
    }

    @Test
    void aChangedRuleFileIsCompiledAgainNeverServedStale() throws IOException {
        TestRules.copy(Path.of("rules"), rules);
        compiler().compile(rules).close();
        Path drl = rules.resolve("organization/organization.drl");
        // The same length and the same rule names: only the judgement changes.
        Files.writeString(drl, Files.readString(drl).replace("values not contains $department", "values contains $department    "));

        try (Ruleset edited = compiler().compile(rules)) {
            assertThat(edited.taken()).as("an edited rule file is a different key: compiled, not taken").isFalse();
            assertThat(codes(edited, user("Engineering"))).contains("POLICY_DEPARTMENT_DENIED");
            assertThat(codes(edited, user("Marketing"))).doesNotContain("POLICY_DEPARTMENT_DENIED");
        }
        try (Ruleset again = compiler().compile(rules)) {
            assertThat(again.taken()).isTrue();
            assertThat(codes(again, user("Engineering"))).contains("POLICY_DEPARTMENT_DENIED");
        }
    }

    @Test
    void anEntryWhoseContentWasReplacedIsRefusedAndTheRulesCompiled(@TempDir Path elsewhere) throws IOException {
        TestRules.copy(Path.of("rules"), rules);
        compiler().compile(rules).close();
        Path entry = onlyEntry();
        byte[] stored = Files.readAllBytes(entry);
        // A module that lets every department through, compiled from edited rules into another cache.
        Path lenientRules = Files.createDirectories(elsewhere.resolve("rules"));
        TestRules.copy(Path.of("rules"), lenientRules);
        Path drl = lenientRules.resolve("organization/organization.drl");
        Files.writeString(drl, Files.readString(drl).replace("values not contains $department", "values contains $department    "));
        CompiledRulesetCache other = new CompiledRulesetCache(elsewhere.resolve("cache"));
        new RulesetCompiler(Clock.systemUTC(), RuleCapabilities.defaults(), Duration.ofSeconds(10))
                .keepingCompiledIn(other).compile(lenientRules).close();
        byte[] lenient = other.read(other.keyOf(RulesetSource.read(lenientRules).files()));
        // Written over this entry's module, its seal kept.
        byte[] tampered = new byte[32 + lenient.length];
        System.arraycopy(stored, 0, tampered, 0, 32);
        System.arraycopy(lenient, 0, tampered, 32, lenient.length);
        Files.write(entry, tampered);

        try (Ruleset ruleset = compiler().compile(rules)) {
            assertThat(ruleset.taken()).as("a replaced entry is refused").isFalse();
            assertThat(codes(ruleset, user("Marketing"))).contains("POLICY_DEPARTMENT_DENIED");
        }
        assertThat(Files.readAllBytes(onlyEntry())).as("compiled again and kept afresh").isNotEqualTo(tampered);
    }

    @Test
    void anEntryRenamedToOtherRulesKeyIsRefused() throws IOException {
        TestRules.copy(Path.of("rules"), rules);
        compiler().compile(rules).close();
        Path lenient = onlyEntry();
        Path drl = rules.resolve("organization/organization.drl");
        Files.writeString(drl, Files.readString(drl).replace("@severity(\"medium\")", "@severity(\"high\")  "));
        String editedKey = new CompiledRulesetCache(cacheDir).keyOf(RulesetSource.read(rules).files());
        Files.move(lenient, cacheDir.resolve(editedKey + ".kjar"));

        try (Ruleset ruleset = compiler().compile(rules)) {
            assertThat(ruleset.taken()).as("the old rules' module under the new rules' name").isFalse();
            assertThat(ruleset.rules()).anyMatch(r -> r.code().equals("POLICY_DEPARTMENT_DENIED")
                    && r.severity() == Severity.HIGH);
        }
    }

    @Test
    void aSealedEntryWithCodeTheCheckNowRefusesIsNotUsed() throws IOException {
        Files.createDirectories(rules.resolve("env"));
        Files.writeString(rules.resolve("env/env.drl"), """
                package env;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;
                rule "home is set"
                    @code("X")
                when
                    ScimUser( ) eval( java.lang.System.getenv("HOME") != null )
                then
                    insert(new Violation("a", "b"));
                end
                """);
        // Compiled and kept while the operator allowed it; the allowance is then taken away.
        compiler(RuleCapabilities.of(List.of("java.lang.System#getenv"))).compile(rules).close();
        assertThat(onlyEntry()).exists();

        assertThatThrownBy(() -> compiler().compile(rules)).isInstanceOf(RulesetRejected.class)
                .hasMessageContaining("java.lang.System.getenv is not allowed in rules");
        try (var files = Files.list(cacheDir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".kjar"))).as("the refused entry is deleted").isEmpty();
        }
    }

    @Test
    void aCacheThatCannotBeWrittenOnlyMeansCompiling() throws IOException {
        TestRules.copy(Path.of("rules"), rules);
        Path notADirectory = Files.writeString(cacheDir.resolve("file"), "x");
        RulesetCompiler compiler = new RulesetCompiler(Clock.systemUTC(), RuleCapabilities.defaults(),
                Duration.ofSeconds(10)).keepingCompiledIn(new CompiledRulesetCache(notADirectory.resolve("cache")));
        try (Ruleset first = compiler.compile(rules); Ruleset second = compiler.compile(rules)) {
            assertThat(first.taken()).isFalse();
            assertThat(second.taken()).isFalse();
        }
    }

    @Test
    void aClassRebuiltInAClassPathDirectoryIsAnotherCompiler(@TempDir Path classes) throws IOException {
        // Run from a build's directories (target/classes), not the packaged jar: the directory's path
        // stays the same when its classes are compiled again, and what was compiled before must not be taken.
        Path fact = Files.createDirectories(classes.resolve("org/scimgate/scim")).resolve("Email.class");
        Files.write(fact, new byte[] {1, 2, 3});
        String before = CompiledRulesetCache.compilerIdentity(classes.toString());
        assertThat(CompiledRulesetCache.compilerIdentity(classes.toString())).isEqualTo(before);

        Files.write(fact, new byte[] {1, 2, 3, 4});
        assertThat(CompiledRulesetCache.compilerIdentity(classes.toString())).as("a rebuilt class").isNotEqualTo(before);
    }
}
