package org.scimgate.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the migrations shipped in this jar define (every function's body and whether it runs as its
 * owner, every trigger and the function it runs), compared with what the database holds now. A
 * superuser can replace {@code audit_canonical()} or {@code audit_seal()}, or disable a trigger;
 * verification recomputes the chain without them, and this says that they were changed, so that
 * the rows sealed from then on are not trusted blindly either.
 *
 * <p>The current definition of each function lives in a repeatable migration ({@code R__*.sql}),
 * which Flyway applies after the versioned ones ({@code V<n>__*.sql}, kept as history). The
 * database's definitions are those of the versioned migrations up to the newest it applied,
 * replaced by those of every repeatable migration its history records as applied.
 */
final class SealingCode {

    private static final Pattern MIGRATION = Pattern.compile("(?:V(\\d+)|R)__.*\\.sql");
    private static final Pattern FUNCTION = Pattern.compile(
            "(?ims)^CREATE\\s+(?:OR\\s+REPLACE\\s+)?FUNCTION\\s+(\\w+)\\s*\\(.*?\\bAS\\s*(\\$\\w*\\$)(.*?)\\2");
    private static final Pattern TRIGGER = Pattern.compile(
            "(?ims)^CREATE\\s+TRIGGER\\s+(\\w+)\\s.*?\\bON\\s+(\\w+)\\s.*?\\bEXECUTE\\s+(?:FUNCTION|PROCEDURE)\\s+(\\w+)");
    private static final Set<String> TABLES = Set.of("decision_audit", "audit_chain", "audit_unsealed", "audit_checkpoint",
            "kept_ruleset_file", "kept_ruleset");

    record Function(String name, String body, boolean securityDefiner, String migration) {
    }

    record Trigger(String name, String table, String function, String migration) {
    }

    record Definitions(Map<String, Function> functions, Map<String, Trigger> triggers) {
    }

    private SealingCode() {
    }

    /**
     * The definitions of the versioned migrations up to and including {@code upToVersion}, then of
     * the repeatable ones named in {@code repeatables}; every migration when {@code upToVersion} is
     * null (no readable history).
     */
    private static Definitions shipped(List<Migration> migrations, Integer upToVersion, Set<String> repeatables) {
        Map<String, Function> functions = new LinkedHashMap<>();
        Map<String, Trigger> triggers = new LinkedHashMap<>();
        for (Migration m : migrations) {
            boolean applied = m.version() == null
                    ? upToVersion == null || repeatables.contains(m.name())
                    : upToVersion == null || m.version() <= upToVersion;
            if (!applied) {
                continue;
            }
            Matcher f = FUNCTION.matcher(m.sql());
            while (f.find()) {
                String header = m.sql().substring(f.start(), f.start(3));
                functions.put(f.group(1).toLowerCase(), new Function(f.group(1).toLowerCase(), f.group(3),
                        Pattern.compile("(?i)\\bSECURITY\\s+DEFINER\\b").matcher(header).find(), m.name()));
            }
            Matcher t = TRIGGER.matcher(m.sql());
            while (t.find()) {
                triggers.put(t.group(1).toLowerCase() + " ON " + t.group(2).toLowerCase(), new Trigger(
                        t.group(1).toLowerCase(), t.group(2).toLowerCase(), t.group(3).toLowerCase(), m.name()));
            }
        }
        return new Definitions(functions, triggers);
    }

    /**
     * Every way the database's functions, triggers and audit tables differ from the migrations it
     * applied, read from the catalogs of {@code schema}; empty when they agree.
     */
    static List<String> differences(JdbcClient jdbc, String schema) {
        Integer applied = appliedVersion(jdbc, schema);
        List<Migration> migrations = migrations();
        Definitions shipped = shipped(migrations, applied, applied == null ? Set.of() : appliedRepeatables(jdbc));
        List<String> differences = new ArrayList<>();
        int newest = migrations.stream().map(Migration::version).filter(Objects::nonNull).max(Integer::compare)
                .orElseThrow();
        if (applied != null && applied > newest) {
            differences.add("the database applied migration V" + applied + ", newer than this verifier's newest (V" + newest
                    + "): definitions were compared up to V" + newest + "; verify with the version that migrated it");
        }
        record Stored(String name, String body, boolean securityDefiner) {
        }
        Map<String, List<Stored>> stored = new HashMap<>();
        jdbc.sql("""
                        SELECT p.proname, p.prosrc, p.prosecdef FROM pg_catalog.pg_proc p
                        WHERE p.pronamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = ?)""")
                .param(schema)
                .query(rs -> {
                    stored.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Stored(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                });
        for (Function f : shipped.functions().values()) {
            List<Stored> found = stored.getOrDefault(f.name(), List.of());
            if (found.isEmpty()) {
                differences.add("function " + f.name() + " is missing (defined in " + f.migration() + ")");
            } else if (found.size() > 1) {
                differences.add("function " + f.name() + " is defined " + found.size() + " times; the migrations define it once ("
                        + f.migration() + ")");
            } else if (!found.get(0).body().equals(f.body())) {
                differences.add("function " + f.name() + " differs from its definition in " + f.migration());
            } else if (found.get(0).securityDefiner() != f.securityDefiner()) {
                differences.add("function " + f.name() + (f.securityDefiner() ? " no longer" : " now")
                        + " runs as its owner (SECURITY DEFINER), unlike its definition in " + f.migration());
            }
        }
        Map<String, String[]> triggers = new HashMap<>();
        jdbc.sql("""
                        SELECT t.tgname, c.relname, p.proname, t.tgenabled::text FROM pg_catalog.pg_trigger t
                        JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                        JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
                        WHERE NOT t.tgisinternal
                          AND c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = ?)""")
                .param(schema)
                .query(rs -> {
                    triggers.put(rs.getString(1) + " ON " + rs.getString(2),
                            new String[] {rs.getString(3), rs.getString(4)});
                });
        for (Trigger t : shipped.triggers().values()) {
            String[] found = triggers.get(t.name() + " ON " + t.table());
            if (found == null) {
                differences.add("trigger " + t.name() + " on " + t.table() + " is missing (defined in " + t.migration() + ")");
            } else if (!found[0].equals(t.function())) {
                differences.add("trigger " + t.name() + " on " + t.table() + " runs " + found[0] + ", not " + t.function()
                        + " as defined in " + t.migration());
            } else if ("D".equals(found[1])) {
                differences.add("trigger " + t.name() + " on " + t.table() + " is disabled");
            }
        }
        jdbc.sql("""
                        SELECT c.relname, c.relkind::text FROM pg_catalog.pg_class c
                        WHERE c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = ?)
                          AND c.relname = ANY (?)""")
                .params(schema, TABLES.toArray(String[]::new))
                .query(rs -> {
                    if (!"r".equals(rs.getString(2))) {
                        differences.add(rs.getString(1) + " is no longer a plain table (relkind " + rs.getString(2) + ")");
                    }
                });
        return differences;
    }

    /** The newest migration applied, or null where the history is not there or not readable (compare with all). */
    private static Integer appliedVersion(JdbcClient jdbc, String schema) {
        boolean history = Boolean.TRUE.equals(jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
                                       ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = 'flyway_schema_history'
                                       AND pg_catalog.has_table_privilege(c.oid, 'SELECT'))""")
                .param(schema).query(Boolean.class).single());
        if (!history) {
            return null;
        }
        return jdbc.sql("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")
                .query(String.class).list().stream()
                .filter(v -> v.matches("\\d+")).map(Integer::valueOf).max(Integer::compare).orElse(null);
    }

    /** The repeatable migrations (their script names) the history records as applied. */
    private static Set<String> appliedRepeatables(JdbcClient jdbc) {
        return new HashSet<>(jdbc.sql("SELECT script FROM flyway_schema_history WHERE success AND version IS NULL")
                .query(String.class).list());
    }

    /** A migration shipped in the jar; {@code version} is null for a repeatable one, which runs after them all. */
    private record Migration(Integer version, String name, String sql) {
    }

    private static List<Migration> migrations() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver(SealingCode.class.getClassLoader())
                    .getResources("classpath*:db/migration/*__*.sql");
            List<Migration> migrations = new ArrayList<>();
            for (Resource r : resources) {
                Matcher m = MIGRATION.matcher(r.getFilename() == null ? "" : r.getFilename());
                if (m.matches()) {
                    migrations.add(new Migration(m.group(1) == null ? null : Integer.valueOf(m.group(1)), r.getFilename(),
                            r.getContentAsString(StandardCharsets.UTF_8)));
                }
            }
            // Versioned in order, then the repeatable ones (by name, as Flyway runs them).
            migrations.sort(Comparator.comparing(Migration::version, Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(Migration::name));
            if (migrations.isEmpty()) {
                throw new IllegalStateException("no migrations on the classpath (db/migration): "
                        + Arrays.toString(resources));
            }
            return migrations;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the migrations shipped with the service", e);
        }
    }
}
