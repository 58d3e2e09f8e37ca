package org.scimgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Each direct sub-package of {@code org.scimgate} is a module with a small public face: no cycles,
 * no reaching into another module's internals (sub-packages and package-private types), and data
 * flows one way, as the README's module map draws it.
 */
class ModularityTest {

    private static final ApplicationModules MODULES = ApplicationModules.of(ScimgateApplication.class);

    /** What each module may use; a module missing here may use nothing of ours. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "webhook", Set.of("policy", "audit", "scim", "security", "decision", "edge"),
            "gateway", Set.of("policy", "audit", "scim", "security", "genesys", "decision", "edge"),
            "security", Set.of("edge"),
            "edge", Set.of("audit", "decision"),
            "decision", Set.of("policy", "audit", "scim"),
            "siem", Set.of("audit", "genesys"),
            "impact", Set.of("policy", "scim", "database", "genesys", "audit", "decision"),
            "console", Set.of("audit", "impact", "policy", "scim"),
            "policy", Set.of("scim"));

    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersPublicFaces() {
        MODULES.verify();
    }

    @Test
    void dataFlowsOneWayBetweenModules() {
        Map<String, Set<String>> outside = new TreeMap<>();
        for (ApplicationModule module : MODULES) {
            String name = module.getIdentifier().toString();
            Set<String> used = uses(module);
            used.removeAll(ALLOWED.getOrDefault(name, Set.of()));
            if (!used.isEmpty()) {
                outside.put(name, used);
            }
        }
        assertThat(outside).as("modules that use what the map does not allow them").isEmpty();
    }

    @Test
    void seesTheDependenciesThatExist() {
        ApplicationModule gateway = MODULES.getModuleByName("gateway").orElseThrow();
        assertThat(uses(gateway)).contains("genesys", "policy", "audit");
        assertThat(uses(MODULES.getModuleByName("siem").orElseThrow())).contains("audit", "genesys");
    }

    /** The other modules a module's types refer to. */
    private static Set<String> uses(ApplicationModule module) {
        Set<String> used = new TreeSet<>();
        module.getDirectDependencies(MODULES).stream()
                .forEach(d -> used.add(d.getTargetModule().getIdentifier().toString()));
        used.remove(module.getIdentifier().toString());
        return used;
    }

    @Test
    void everyModuleOfTheMapExists() {
        Set<String> present = new TreeSet<>();
        MODULES.forEach(m -> present.add(m.getIdentifier().toString()));
        assertThat(present).contains("audit", "database", "gateway", "genesys", "policy", "scim", "security", "siem",
                "webhook");
    }
}
