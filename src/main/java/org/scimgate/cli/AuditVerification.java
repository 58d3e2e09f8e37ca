package org.scimgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.scimgate.audit.AuditChain;
import org.scimgate.audit.AuditCommand;
import org.scimgate.database.RunningService;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * {@code audit verify}: the database and the audit chain, nothing else. It connects to the
 * configured database (SPRING_DATASOURCE_URL; else the embedded one of the data directory: the
 * running service's, as {@code rules replay} finds it, or started here when the service is stopped)
 * without a web server, migrations, the policy engine, sealing or relaying, so it runs from any
 * directory. Not a {@code @Configuration}: the service's own scan must not find it.
 */
@EnableAutoConfiguration
@ComponentScan("org.scimgate.database")
@ConfigurationPropertiesScan("org.scimgate.database")
@Import(AuditChain.class)
final class AuditVerification {

    private AuditVerification() {
    }

    /** Verifies the chain and prints the findings; {@code args} may override settings as {@code --key=value}. */
    static int run(PrintStream out, PrintStream err, Function<String, String> env, String... args) {
        return onTheHistory(AuditVerification.class, out, err, env, args,
                context -> AuditCommand.verify(context.getBean(AuditChain.class), out, err));
    }

    /**
     * Runs {@code work} in a context of {@code configuration} on the audit's database: the one
     * configured, or that of a service running on the data directory; no migrations, no web, none
     * of the service's listeners. 1 when the running service's database cannot be reached.
     */
    static int onTheHistory(Class<?> configuration, PrintStream out, PrintStream err, Function<String, String> env,
                            String[] args, java.util.function.ToIntFunction<ConfigurableApplicationContext> work) {
        List<String> settings = new ArrayList<>(List.of(args));
        try {
            settings.addAll(runningService(out, env, settings));
        } catch (IOException e) {
            err.println("Cannot reach the running service's database: " + e.getMessage());
            return 1;
        }
        SpringApplicationBuilder builder = new SpringApplicationBuilder(configuration)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.flyway.enabled=false", "logging.level.root=WARN",
                        // the service's health groups name indicators this context does not have
                        "management.endpoint.health.validate-group-membership=false");
        // The service's listeners (the rules preloader) have nothing to do here.
        builder.application().setListeners(builder.application().getListeners().stream()
                .filter(l -> !l.getClass().getName().startsWith("org.scimgate.")).toList());
        try (ConfigurableApplicationContext context = builder.run(settings.toArray(String[]::new))) {
            return work.applyAsInt(context);
        }
    }

    /**
     * The settings that reach the database of a service running on the data directory, when no
     * database is configured and a service holds the directory; none otherwise.
     */
    static List<String> runningService(PrintStream out, Function<String, String> env, List<String> args)
            throws IOException {
        if (configured(env, args, "SPRING_DATASOURCE_URL", "spring.datasource.url") != null) {
            return List.of();
        }
        String dir = configured(env, args, "SCIMGATE_DATA_DIR", "scimgate.database.data-dir");
        Path dataDir = Path.of(dir == null ? "./data" : dir).toAbsolutePath().normalize();
        if (!RunningService.holds(dataDir)) {
            return List.of();
        }
        String role = configured(env, args, "SCIMGATE_APP_ROLE", "spring.flyway.placeholders.app_role");
        RunningService service = RunningService.recordedIn(dataDir, role == null ? "scimgate_app" : role);
        out.println("Reading the database of the service running on " + dataDir + " (localhost:" + service.port()
                + ", as " + service.role() + ").");
        return List.of("--spring.datasource.url=" + service.jdbcUrl(), "--spring.datasource.username=" + service.role(),
                "--spring.datasource.password=" + service.password());
    }

    /** A setting from the arguments ({@code --property=value}), the system properties or the environment. */
    private static String configured(Function<String, String> env, List<String> args, String variable, String property) {
        for (String arg : args) {
            if (arg.startsWith("--" + property + "=")) {
                return arg.substring(property.length() + 3);
            }
        }
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = env.apply(variable);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
