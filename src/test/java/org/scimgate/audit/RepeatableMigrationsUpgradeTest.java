package org.scimgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The functions and views live in repeatable migrations ({@code R__*.sql}) since V16; a database
 * migrated before holds them from the versioned ones. Such a database, with decisions sealed by
 * its application role, is migrated again with every migration: it must end up holding exactly
 * what a fresh database migrated from scratch holds, its chain must still verify, and new
 * decisions must seal onto it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepeatableMigrationsUpgradeTest {

    private static final Path MIGRATIONS = Path.of("db", "migration");

    /**
     * Definitions the repeatable migrations deliberately changed since V16, the last versioned
     * migration to define functions and views: name (as in {@link #catalog}) to why. A definition
     * an R__ file changes and that is not named here fails the test, so a change is never made by
     * accident; name it here in the commit that changes it.
     */
    private static final Map<String, String> CHANGED_SINCE_V16 = Map.of(
            "function remediation_enqueue()",
            "V18 creates an empty placeholder so that its trigger can name it; R__remediation.sql defines it",
            "function decision_audit_enqueue_outbox()",
            "V21: every new decision gets an outbox entry for each active SIEM sink");
    /**
     * Objects only an R__ file defines (new since V16, no versioned migration restates them): name
     * prefix to why. An upgrade may add these and nothing else.
     */
    private static final Map<String, String> CREATED_BY_REPEATABLES = Map.of(
            "function remediation_", "R__remediation.sql: the functions of V18's remediation actions",
            "function siem_outbox_claim(", "R__siem_outbox.sql: V21 drops the claim without a sink; it claims one sink's",
            "function siem_outbox_redrive", "R__siem_outbox.sql: V21 drops the re-drives; they name a sink, or none for every sink",
            "function siem_outbox_sinks_configure(", "R__siem_outbox.sql: the relay names the sinks of V21");
    /** The newest migration of the release before the repeatable migrations came. */
    private static final int LAST_RELEASE_VERSION = 13;

    private Database upgraded;
    private Database fresh;
    private Map<String, String> beforeUpgrade;
    private MigrateResult upgrade;
    private List<UUID> sealedBefore;

    @BeforeAll
    void upgradeADatabaseMigratedBeforeTheRepeatableMigrations(@TempDir Path versionedOnly) throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).toList()) {
                Files.copy(file, versionedOnly.resolve(file.getFileName()));
            }
        }
        upgraded = Database.create();
        upgraded.migrate("filesystem:" + versionedOnly.toAbsolutePath());
        assertThat(upgraded.owner().queryForList("SELECT script FROM flyway_schema_history", String.class))
                .as("the database as a version before the repeatable migrations left it")
                .noneMatch(script -> script.startsWith("R__"));
        sealedBefore = List.of(upgraded.insertAsApp("before-1@acme.com"), upgraded.insertAsApp("before-2@acme.com"),
                upgraded.insertAsApp("before-3@acme.com"));
        assertThat(upgraded.chainAsApp().seal(100)).isEqualTo(3);
        beforeUpgrade = catalog(upgraded);

        upgrade = upgraded.migrate("filesystem:" + MIGRATIONS.toAbsolutePath());

        fresh = Database.create();
        fresh.migrate("filesystem:" + MIGRATIONS.toAbsolutePath());
    }

    @Test
    void anExistingDatabaseRunsEveryRepeatableMigrationAndNothingElse() throws IOException {
        List<String> repeatables;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            repeatables = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("R__")).sorted().toList();
        }
        assertThat(repeatables).as("the repeatable migrations shipped").isNotEmpty();
        assertThat(upgrade.success).isTrue();
        assertThat(upgrade.migrations.stream().map(m -> m.filepath.substring(m.filepath.lastIndexOf('/') + 1)).sorted())
                .containsExactlyElementsOf(repeatables);
    }

    @Test
    void anUpgradedDatabaseHoldsTheFunctionsViewsTriggersAndGrantsOfAFreshOne() {
        Map<String, String> upgradedCatalog = catalog(upgraded);
        Map<String, String> freshCatalog = catalog(fresh);
        assertThat(upgradedCatalog).as("the upgraded database's functions, views and triggers")
                .isNotEmpty().containsOnlyKeys(freshCatalog.keySet());
        freshCatalog.forEach((name, definition) -> assertThat(upgradedCatalog.get(name)).as(name).isEqualTo(definition));
    }

    @Test
    void theRepeatableMigrationsRestateTheVersionedDefinitionsExactly() {
        Map<String, String> after = catalog(upgraded);
        assertThat(beforeUpgrade.keySet()).as("objects the upgrade removed").isSubsetOf(after.keySet());
        assertThat(after.keySet().stream().filter(name -> !beforeUpgrade.containsKey(name)))
                .as("objects the upgrade added that no R__ file is named for in CREATED_BY_REPEATABLES")
                .allMatch(name -> CREATED_BY_REPEATABLES.keySet().stream().anyMatch(name::startsWith));
        Map<String, String> changed = new TreeMap<>();
        beforeUpgrade.forEach((name, definition) -> {
            if (!definition.equals(after.get(name))) {
                changed.put(name, "before:\n" + definition + "\nafter:\n" + after.get(name));
            }
        });
        assertThat(CHANGED_SINCE_V16.keySet()).as("named as changed, but unchanged").isSubsetOf(changed.keySet());
        changed.keySet().removeAll(CHANGED_SINCE_V16.keySet());
        assertThat(changed).as("definitions an R__ file changed without naming them in CHANGED_SINCE_V16").isEmpty();
    }

    @Test
    void theChainSealedBeforeTheUpgradeStillVerifiesAndNewDecisionsSealOntoIt() {
        AuditChain.Verification before = upgraded.chainAsOwner().verify();
        assertThat(before.intact()).as(before.toString()).isTrue();
        assertThat(before.sealingChanged()).as("the sealing code compared with the migrations' definitions").isEmpty();
        assertThat(before.checked()).isEqualTo(sealedBefore.size());

        UUID after = upgraded.insertAsApp("after\uD835\uDC9C@acme.com");
        assertThat(upgraded.chainAsApp().seal(100)).isOne();
        AuditChain.Verification verification = upgraded.chainAsOwner().verify();
        assertThat(verification.intact()).as(verification.toString()).isTrue();
        assertThat(verification.checked()).isEqualTo(before.checked() + 1);
        assertThat(verification.sealingChanged()).isEmpty();
        assertThat(upgraded.owner().queryForObject("SELECT count(*) FROM audit_chain WHERE decision_id = ANY (?)",
                Long.class, (Object) Stream.concat(sealedBefore.stream(), Stream.of(after)).toArray(UUID[]::new)))
                .isEqualTo(sealedBefore.size() + 1L);
        assertThat(upgraded.owner().queryForObject("SELECT count(*) FROM siem_outbox WHERE decision_id = ?",
                Long.class, after)).as("the outbox entry the database adds").isOne();
    }

    /**
     * A database the last release left (migrations up to V13: no least-privilege trigger, no exact
     * payloads, no repeatable migrations), with a sealed chain, upgrades to what a fresh database
     * holds: the chain still verifies against the new verifier and new decisions seal onto it.
     */
    @Test
    void aDatabaseOfTheLastReleaseUpgradesToWhatAFreshOneHolds(@TempDir Path lastRelease) throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .filter(f -> Integer.parseInt(f.getFileName().toString().replaceFirst("^V(\\d+)__.*", "$1"))
                            <= LAST_RELEASE_VERSION).toList()) {
                Files.copy(file, lastRelease.resolve(file.getFileName()));
            }
        }
        Database old = Database.create();
        old.migrate("filesystem:" + lastRelease.toAbsolutePath());
        List<UUID> sealed = List.of(old.insertAsApp("release-1@acme.com"), old.insertAsApp("release-2@acme.com"));
        assertThat(old.chainAsApp().seal(100)).isEqualTo(2);

        assertThat(old.migrate("filesystem:" + MIGRATIONS.toAbsolutePath()).success).isTrue();

        Map<String, String> upgradedCatalog = catalog(old);
        Map<String, String> freshCatalog = catalog(fresh);
        assertThat(upgradedCatalog.keySet()).isEqualTo(freshCatalog.keySet());
        freshCatalog.forEach((name, definition) -> assertThat(upgradedCatalog.get(name)).as(name).isEqualTo(definition));
        AuditChain.Verification verification = old.chainAsOwner().verify();
        assertThat(verification.intact()).as(verification.toString()).isTrue();
        assertThat(verification.sealingChanged()).isEmpty();
        assertThat(verification.checked()).isEqualTo(sealed.size());
        old.insertAsApp("after-release@acme.com");
        assertThat(old.chainAsApp().seal(100)).isOne();
        assertThat(old.chainAsOwner().verify().intact()).isTrue();
    }

    /**
     * Every function (its whole definition, SET options included, its owner and grants), view (its
     * query and grants) and trigger of the schema, by name; the database's own application role
     * written as APP so two databases compare.
     */
    private static Map<String, String> catalog(Database db) {
        Map<String, String> catalog = new TreeMap<>();
        JdbcTemplate sql = db.owner();
        sql.query("""
                SELECT 'function ' || p.oid::regprocedure::text, pg_get_functiondef(p.oid)
                       || E'\\nowner ' || pg_get_userbyid(p.proowner) || E'\\nacl ' || coalesce(p.proacl::text, 'default')
                FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace""",
                rs -> {
                    catalog.put(rs.getString(1), rs.getString(2).replace(db.appRole(), "APP"));
                });
        sql.query("""
                SELECT 'view ' || c.relname, pg_get_viewdef(c.oid) || E'\\nowner ' || pg_get_userbyid(c.relowner)
                       || E'\\nacl ' || coalesce(c.relacl::text, 'default')
                FROM pg_class c WHERE c.relkind IN ('v', 'm') AND c.relnamespace = current_schema()::regnamespace""",
                rs -> {
                    catalog.put(rs.getString(1), rs.getString(2).replace(db.appRole(), "APP"));
                });
        sql.query("""
                SELECT 'trigger ' || t.tgname || ' on ' || c.relname, pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text
                FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace""",
                rs -> {
                    catalog.put(rs.getString(1), rs.getString(2));
                });
        return catalog;
    }

    /** A database of its own with an application role of its own, created before migrating as production does. */
    private record Database(TestPostgres.Database database, String appRole) {

        static Database create() {
            TestPostgres.Database database = TestPostgres.newDatabase();
            String role = "upgrade_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection owner = DriverManager.getConnection(database.url(), database.username(), database.password());
                 var sql = owner.createStatement()) {
                sql.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'app'");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new Database(database, role);
        }

        MigrateResult migrate(String location) {
            return Flyway.configure().dataSource(database.url(), database.username(), database.password())
                    .locations(location).placeholders(Map.of("app_role", appRole)).load().migrate();
        }

        JdbcTemplate owner() {
            return new JdbcTemplate(new DriverManagerDataSource(database.url(), database.username(), database.password()));
        }

        UUID insertAsApp(String userName) {
            return ChainDatabase.insertDecision(new JdbcTemplate(app()), userName);
        }

        AuditChain chainAsApp() {
            return ChainDatabase.chain(app());
        }

        AuditChain chainAsOwner() {
            return ChainDatabase.chain(new DriverManagerDataSource(database.url(), database.username(), database.password()));
        }

        private DriverManagerDataSource app() {
            return new DriverManagerDataSource(database.url(), appRole, "app");
        }
    }

}
