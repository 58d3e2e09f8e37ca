package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples that travel with each folder of rules. */
class ExamplesTest {

    @TempDir
    Path dir;

    @Test
    void judgesAFoldersExpectedCodesByItsOwnRulesOnly() throws IOException {
        rule("names", "Name must be set", "NAME_MISSING", "displayName == null");
        examples("names", "Name must be set", "NAME_MISSING");
        // A rule added in another folder fires on the same user: it must not break the names examples.
        rule("departments", "Department must be set", "DEPARTMENT_MISSING", "department == null");
        examples("departments", "Department must be set", "DEPARTMENT_MISSING");
        try (Ruleset ruleset = new RulesetCompiler(Clock.systemUTC()).compile(dir)) {
            ExampleReport report = Examples.run(ruleset);
            assertThat(report.asProblems()).isEmpty();
            assertThat(report.results()).hasSize(4);
        }
    }

    @Test
    void stillRefusesAnExpectationTheFoldersOwnRulesDoNotMeet() throws IOException {
        rule("names", "Name must be set", "NAME_MISSING", "displayName == null");
        examples("names", "Name must be set", "SOMETHING_ELSE");
        try (Ruleset ruleset = new RulesetCompiler(Clock.systemUTC()).compile(dir)) {
            assertThat(Examples.run(ruleset).failures()).singleElement()
                    .satisfies(f -> assertThat(f.difference()).isEqualTo(
                            "expected codes [SOMETHING_ELSE] but got [NAME_MISSING]"));
        }
    }

    @Test
    void namesTheFolderOfARulesFile() {
        assertThat(Examples.folderOf("organization/examples.yaml")).isEqualTo("organization");
        assertThat(Examples.folderOf("a/b/rules.drl")).isEqualTo("a/b");
        assertThat(Examples.folderOf("examples.yaml")).isEmpty();
    }

    private void rule(String folder, String name, String code, String condition) throws IOException {
        Files.createDirectories(dir.resolve(folder));
        Files.writeString(dir.resolve(folder).resolve(folder + ".drl"), """
                package %s;
                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;

                rule "%s"
                    @code("%s")
                when
                    ScimUser( %s )
                then
                    insert(new Violation("user", "%s"));
                end
                """.formatted(folder, name, code, condition, name));
    }

    private void examples(String folder, String rule, String expected) throws IOException {
        Files.writeString(dir.resolve(folder).resolve("examples.yaml"), """
                "%s":
                  allowed:
                    - name: everything set
                      user: {userName: jane, displayName: Jane, department: Sales, emails: [{value: jane@acme.com, primary: true}]}
                  disallowed:
                    - name: nothing set
                      user: {userName: jane, emails: [{value: jane@acme.com, primary: true}]}
                      expect: [%s]
                """.formatted(rule, expected));
    }
}
