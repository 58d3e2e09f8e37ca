package org.scimgate.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scimgate.docs.DocsLinksTest.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.policy.PolicyRule;

/**
 * The rule pages under docs/policy/rules/ are what the rules in rules/ produce. Run with
 * {@code -Dscimgate.docs.write=true} to write them first (see {@link RulePages#REGENERATE}).
 */
class RulePagesTest {

    private static final Path RULES = Path.of("rules");
    private static final Path PAGES = Path.of("docs/policy/rules");
    private static final String RULES_FROM_PAGES = "../../../rules/";
    /** Compiling the rules takes seconds: the tests share one generation. */
    private static final RulePages GENERATOR = new RulePages(RULES, RULES_FROM_PAGES);

    @Test
    void theCommittedRulePagesAreWhatTheRulesProduce() throws IOException {
        RulePages generator = GENERATOR;
        if (Boolean.getBoolean("scimgate.docs.write")) {
            generator.write(PAGES);
        }
        Map<String, String> expected = generator.pages();
        String stale = "%s differs from what rules/ produces; regenerate the rule pages with: " + RulePages.REGENERATE;
        for (var page : expected.entrySet()) {
            Path file = PAGES.resolve(page.getKey());
            assertThat(Files.exists(file)).as(stale, file).isTrue();
            assertThat(Files.readString(file)).as(stale, file).isEqualTo(page.getValue());
        }
        assertThat(committedPages()).as("pages of codes no rule reports; regenerate with: " + RulePages.REGENERATE)
                .isEqualTo(new TreeSet<>(expected.keySet()));
    }

    @Test
    void theIndexListsEveryLiveRule() {
        String index = GENERATOR.pages().get("README.md");
        assertThat(GENERATOR.rules()).extracting(PolicyRule::code).contains("SCIM_INVALID_USERNAME");
        for (PolicyRule rule : GENERATOR.rules()) {
            assertThat(index).as("the index row of %s", rule.name())
                    .contains("| [`" + rule.code() + "`](" + rule.code() + ".md) | " + rule.name() + " | ");
        }
    }

    @Test
    void aNewRuleGetsItsPageWithoutAnyChangeToTheGenerator(@TempDir Path copy) throws IOException {
        try (Stream<Path> files = Files.walk(RULES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                write(copy, RULES.relativize(file).toString(), Files.readString(file));
            }
        }
        write(copy, "contractors/contractors.drl", """
                package contractors;

                import org.scimgate.scim.ScimUser;
                import org.scimgate.policy.Violation;

                rule "Contractors need a login"
                    @code("POLICY_CONTRACTOR_LOGIN")
                    @severity("low")
                    @mode("dryrun")
                    @description("A contractor signs in like anyone else.")
                when
                    ScimUser( !hasUserName() )
                then
                    insert(new Violation("userName", "A contractor needs a userName."));
                end
                """);
        write(copy, "contractors/examples.yaml", """
                "Contractors need a login":
                  allowed:
                    - name: a contractor with a login
                      user: {userName: c@acme.com, emails: [{value: c@acme.com, primary: true}]}
                  disallowed:
                    - name: a contractor without one
                      user: {emails: [{value: c@acme.com, primary: true}]}
                      expect: [POLICY_CONTRACTOR_LOGIN]
                """);

        Map<String, String> pages = new RulePages(copy, "../").pages();

        assertThat(pages.get("README.md")).contains("| [`POLICY_CONTRACTOR_LOGIN`](POLICY_CONTRACTOR_LOGIN.md) | "
                + "Contractors need a login | low | dryrun | [`contractors/contractors.drl`](../contractors/contractors.drl) |");
        assertThat(pages.get("POLICY_CONTRACTOR_LOGIN.md")).contains("## Contractors need a login",
                "A contractor signs in like anyone else.", "rule \"Contractors need a login\"",
                "- a contractor with a login", "- a contractor without one: expects `POLICY_CONTRACTOR_LOGIN`");
        assertThat(pages).containsKey("SCIM_INVALID_USERNAME.md");
    }

    private static TreeSet<String> committedPages() throws IOException {
        if (!Files.isDirectory(PAGES)) {
            return new TreeSet<>();
        }
        try (Stream<Path> files = Files.list(PAGES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md"))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
