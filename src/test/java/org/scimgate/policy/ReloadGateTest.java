package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scimgate.support.TestRules;

/**
 * The engine's hooks for governance: a changed ruleset that its gate refuses stays out (the last
 * one stays live and the refusal is kept), and every ruleset that goes live by a reload is told
 * to the listeners, with the files it was compiled from.
 */
class ReloadGateTest {

    @Test
    void aRefusedChangeLeavesTheLastRulesetLiveAndAnAllowedOneIsToldToTheListeners() throws Exception {
        Path rules = TestRules.copyOfShippedRules("gate");
        // A long timeout: the examples run at every load, and a build machine may be busy.
        RulesetCompiler compiler = new RulesetCompiler(Clock.systemUTC(), RuleCapabilities.of(List.of()),
                java.time.Duration.ofSeconds(30));
        try (PolicyEngine engine = PolicyEngine.load(rules, Clock.systemUTC(), compiler)) {
            String before = engine.ruleset().version();
            List<Ruleset> live = new ArrayList<>();
            engine.onLive(live::add);
            List<String> allowed = new ArrayList<>();
            engine.gate(candidate -> allowed.contains(candidate.version()) ? null : "not approved: " + candidate.version());

            Path drl = rules.resolve("identity/identity.drl");
            String edited = Files.readString(drl) + "\n// an edit no one approved\n";
            Files.writeString(drl, edited);
            assertThat(engine.reload()).isFalse();
            assertThat(engine.ruleset().version()).isEqualTo(before);
            assertThat(engine.lastRejected().errors()).singleElement().asString().startsWith("not approved: ");
            assertThat(engine.standingRejection()).as("the refused edit still stands: the console's banner")
                    .isEqualTo(engine.lastRejected());
            assertThat(live).isEmpty();

            String candidate = engine.lastRejected().errors().get(0).substring("not approved: ".length());
            allowed.add(candidate);
            assertThat(engine.reload()).isTrue();
            assertThat(engine.ruleset().version()).isEqualTo(candidate);
            assertThat(engine.standingRejection()).isNull();
            assertThat(live).singleElement().extracting(Ruleset::version).isEqualTo(candidate);
            assertThat(new String(live.get(0).files().get("identity/identity.drl"))).isEqualTo(edited);
            assertThat(live.get(0).files()).containsKeys("reference-data.yaml", "identity/examples.yaml",
                    "organization/prefix-by-department.drl.csv");
        }
    }
}
