package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How allow-list entries read: types, packages, packages with sub-packages and single members. */
class RuleCapabilitiesTest {

    @Test
    void defaultsAllowValuesAndCollectionsButNotTheSystem() {
        RuleCapabilities defaults = RuleCapabilities.defaults();
        assertThat(defaults.allowsMember("java.lang.String", "toUpperCase")).isTrue();
        assertThat(defaults.allowsMember("java.util.Map$Entry", "getKey")).isTrue();
        assertThat(defaults.allowsType("java.time.format.DateTimeFormatter")).isTrue();
        assertThat(defaults.allowsType("java.time.zone.ZoneRulesProvider")).isFalse();
        assertThat(defaults.allowsType("java.lang.System")).isFalse();
        assertThat(defaults.allowsMember("java.lang.System", "arraycopy")).isTrue();
        assertThat(defaults.allowsMember("java.lang.System", "exit")).isFalse();
        assertThat(defaults.allowsType("java.util.concurrent.Executors")).isFalse();
        assertThat(defaults.allowsType("java.util.ServiceLoader")).isFalse();
        assertThat(defaults.allowsType("org.scimgate.scim.ScimUserReader")).isFalse();
    }

    @Test
    void deniedMembersStayDeniedOnAllowedTypesUnlessNamedExplicitly() {
        assertThat(RuleCapabilities.defaults().allowsMember("java.lang.String", "getClass")).isFalse();
        assertThat(RuleCapabilities.defaults().allowsMember("java.lang.Integer", "getInteger")).isFalse();
        assertThat(RuleCapabilities.of(List.of("java.lang.Integer#getInteger")).allowsMember("java.lang.Integer", "getInteger"))
                .isTrue();
    }

    @Test
    void extraEntriesNameATypeAPackageOrAPackageWithItsSubPackages() {
        RuleCapabilities extra = RuleCapabilities.of(RuleCapabilities.split("com.acme.Codes, com.acme.lists.* com.acme.data.**"));
        assertThat(extra.allowsType("com.acme.Codes")).isTrue();
        assertThat(extra.allowsType("com.acme.Other")).isFalse();
        assertThat(extra.allowsType("com.acme.lists.Departments")).isTrue();
        assertThat(extra.allowsType("com.acme.lists.deep.Departments")).isFalse();
        assertThat(extra.allowsType("com.acme.data.deep.Table")).isTrue();
    }

    @Test
    void refusesAMalformedEntryAtStartUpSayingWhatToWrite() {
        assertThatThrownBy(() -> RuleCapabilities.of(List.of("java.util.*Set")))
                .hasMessageContaining("scimgate.policy.allowed-types: \"java.util.*Set\" is not a type");
        assertThatThrownBy(() -> new PolicySettings(Path.of("rules"), true, Duration.ofMillis(500),
                List.of("com.acme."), Duration.ofSeconds(2), "", "")).hasMessageContaining("com.acme.");
        assertThatThrownBy(() -> new PolicySettings(Path.of("rules"), true, Duration.ofMillis(500),
                List.of(), Duration.ZERO, "", "")).hasMessageContaining("evaluation-timeout must be positive");
    }
}
