package org.scimgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Each direct sub-package of {@code org.scimgate} is a module with a small public face: no cycles,
 * no reaching into another module's internals (sub-packages and package-private types), only the
 * dependencies its {@code package-info} allows, and only its own tables in its SQL.
 */
class ModularityTest {

    static final ApplicationModules MODULES = ApplicationModules.of(ScimgateApplication.class);

    private static final Path SOURCES = Path.of("src", "main", "java", "org", "scimgate");
    private static final Path RESOURCES = Path.of("src", "main", "resources");

    /**
     * Files that may name other modules' tables, and why. A file listed here that no longer does
     * fails the test, so the list only shrinks.
     */
    private static final Map<String, String> NAMES_OTHERS_TABLES = Map.of(
            "database/AppRole.java", "restates migration V4's grants for a data directory older than the role");

    private static final Pattern OWNS = Pattern.compile("@Owns\\(([^)]*)\\)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    /** Before a table name without an underscore, the SQL that makes a word a table (not prose). */
    private static final String SQL_BEFORE = "\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|ON)\\s+";

    @Test
    void modulesHaveNoCyclesAndUseOnlyWhatTheirPackageInfoAllows() {
        MODULES.verify();
    }

    @Test
    void everyModuleDeclaresWhatItMayUse() {
        List<String> open = new ArrayList<>();
        for (ApplicationModule module : MODULES) {
            org.springframework.modulith.ApplicationModule declared = packageInfo(module)
                    .getAnnotation(org.springframework.modulith.ApplicationModule.class);
            if (declared == null || Arrays.asList(declared.allowedDependencies())
                    .contains(org.springframework.modulith.ApplicationModule.OPEN_TOKEN)) {
                open.add(name(module));
            }
        }
        assertThat(open).as("modules whose package-info does not say which modules they may use").isEmpty();
    }

    @Test
    void seesTheDependenciesThatExist() {
        assertThat(uses("gateway")).contains("genesys", "policy", "audit");
        assertThat(uses("siem")).contains("audit", "genesys");
        assertThat(uses("console")).contains("audit", "siem");
    }

    @Test
    void everyTableViewAndFunctionOfTheMigrationsHasExactlyOneOwningModule() {
        Set<String> created = SchemaObjects.created();
        assertThat(created).as("what the migrations create").contains("decision_audit", "siem_outbox", "decisions",
                "audit_seal", "siem_outbox_redrive");
        Map<String, List<String>> owners = new TreeMap<>();
        owners().forEach((object, module) -> owners.computeIfAbsent(object, o -> new ArrayList<>()).add(module));
        for (ApplicationModule module : MODULES) {
            ownedBy(module).stream().filter(o -> !owners.get(o).contains(name(module)))
                    .forEach(o -> owners.get(o).add(name(module)));
        }
        Map<String, List<String>> notOne = new TreeMap<>();
        created.forEach(object -> {
            List<String> of = owners.getOrDefault(object, List.of());
            if (of.size() != 1) {
                notOne.put(object, of);
            }
        });
        assertThat(notOne).as("tables, views and functions without exactly one owner (@Owns on a package-info)")
                .isEmpty();
        assertThat(owners.keySet()).as("@Owns names nothing the migrations do not create").isSubsetOf(created);
    }

    @Test
    void noModuleSqlNamesAnotherModulesTable() throws IOException {
        Map<String, String> owners = owners();
        Map<String, Pattern> named = new TreeMap<>();
        owners.keySet().forEach(object -> named.put(object, object.contains("_")
                ? Pattern.compile("(?<![A-Za-z0-9_])" + object + "(?![A-Za-z0-9_])")
                : Pattern.compile(SQL_BEFORE + object + "(?![A-Za-z0-9_])")));
        List<String> found = new ArrayList<>();
        Set<String> exemptionsUsed = new TreeSet<>();
        for (Source source : sources()) {
            for (SqlLiterals.Literal literal : source.literals()) {
                named.forEach((object, pattern) -> {
                    String owner = owners.get(object);
                    if (!owner.equals(source.module()) && pattern.matcher(literal.text()).find()) {
                        if (NAMES_OTHERS_TABLES.containsKey(source.path())) {
                            exemptionsUsed.add(source.path());
                        } else {
                            found.add(source.path() + ":" + literal.line() + " names " + object + ", which "
                                    + owner + " owns (use " + owner + "'s public types)");
                        }
                    }
                });
            }
        }
        assertThat(found).as("SQL that names another module's table, view or function").isEmpty();
        assertThat(exemptionsUsed).as("exempted files that still name other modules' tables")
                .isEqualTo(NAMES_OTHERS_TABLES.keySet());
    }

    /** Object name to the module whose {@code @Owns} names it (the last one, where two do). */
    private static Map<String, String> owners() {
        Map<String, String> owners = new TreeMap<>();
        MODULES.forEach(module -> ownedBy(module).forEach(object -> owners.put(object, name(module))));
        return owners;
    }

    /** What the module's {@code @Owns} names, read from its package-info source (the annotation stays there). */
    private static List<String> ownedBy(ApplicationModule module) {
        Path info = SOURCES.resolve(name(module)).resolve("package-info.java");
        String source;
        try {
            source = Files.readString(info);
        } catch (IOException e) {
            throw new AssertionError("module " + name(module) + " has no package-info.java", e);
        }
        Matcher owns = OWNS.matcher(source);
        if (!owns.find()) {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(owns.group(1));
        while (quoted.find()) {
            objects.add(quoted.group(1));
        }
        return objects;
    }

    /** A Java source or SQL resource of a module ("" for the root package and unplaced resources). */
    private record Source(String path, String module, List<SqlLiterals.Literal> literals) {
    }

    private static List<Source> sources() throws IOException {
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String path = SOURCES.relativize(file).toString().replace('\\', '/');
                String module = path.contains("/") ? path.substring(0, path.indexOf('/')) : "";
                sources.add(new Source(path, module, SqlLiterals.of(Files.readString(file))));
            }
        }
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                String path = RESOURCES.relativize(file).toString().replace('\\', '/');
                String module = path.startsWith("org/scimgate/") && path.indexOf('/', 13) > 0
                        ? path.substring(13, path.indexOf('/', 13)) : "";
                sources.add(new Source(path, module, List.of(new SqlLiterals.Literal(1, Files.readString(file)))));
            }
        }
        return sources;
    }

    private static Package packageInfo(ApplicationModule module) {
        String name = module.getBasePackage().getName();
        try {
            return Class.forName(name + ".package-info").getPackage();
        } catch (ClassNotFoundException e) {
            throw new AssertionError("module " + name(module) + " has no package-info.java", e);
        }
    }

    private static String name(ApplicationModule module) {
        return module.getIdentifier().toString();
    }

    /** The other modules a module's types refer to. */
    private static Set<String> uses(String name) {
        ApplicationModule module = MODULES.getModuleByName(name).orElseThrow();
        Set<String> used = new TreeSet<>();
        module.getDirectDependencies(MODULES).stream()
                .forEach(d -> used.add(d.getTargetModule().getIdentifier().toString()));
        used.remove(name);
        return used;
    }
}
