package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.scimgate.scim.ScimUser;
import org.scimgate.support.TestRules;

/** A shadow is a trial: one that is refused at start-up leaves the service deciding without it, never stopped. */
class ShadowRulesetLoadTest {

    private static final ScimUser JANE = new ScimUser(null, null, "jane@acme.com", null,
            java.util.List.of(new org.scimgate.scim.Email(0, "jane@acme.com", "work", true)), "Sales", "CC-2001",
            null, null, null, true);

    @Test
    void aShadowRefusedAtStartRunsNothingSaysWhyAndGoesLiveOnceFixed() throws Exception {
        Path dir = TestRules.copyOfShippedRules("scimgate-shadow-broken");
        Path drl = dir.resolve("organization/organization.drl");
        Path good = Files.createTempFile("organization", ".drl");
        Files.copy(drl, good, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(drl, "package organization;\nrule \"Broken\"\nwhen\n    ScimUser( department == )\nthen\nend\n");

        try (ShadowRuleset shadow = ShadowRuleset.load(dir, Clock.systemUTC(), new RulesetCompiler(Clock.systemUTC()))) {
            assertThat(shadow.configured()).isTrue();
            assertThat(shadow.active()).isFalse();
            assertThat(shadow.evaluateOrRefuse(JANE)).isNull();
            assertThat(shadow.lastRejected().errors()).anyMatch(e -> e.startsWith("organization/organization.drl:"));

            Files.copy(good, drl, StandardCopyOption.REPLACE_EXISTING);
            shadow.reload();
            assertThat(shadow.active()).isTrue();
            assertThat(shadow.lastRejected()).isNull();
            assertThat(shadow.evaluateOrRefuse(JANE).rulesetVersion()).isEqualTo(shadow.ruleset().version());
        }
    }

    @Test
    void noShadowCostsNothingAndJudgesNothing() {
        assertThat(ShadowRuleset.off().configured()).isFalse();
        assertThat(ShadowRuleset.off().active()).isFalse();
        assertThat(ShadowRuleset.off().evaluateOrRefuse(JANE)).isNull();
    }
}
