package org.scimgate.cli;

import java.io.PrintStream;
import org.scimgate.audit.AuditChain;
import org.scimgate.audit.AuditCommand;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * {@code audit verify}: the database and the audit chain, nothing else. It connects to the
 * configured database (SPRING_DATASOURCE_URL, or the embedded one in the data directory when the
 * service is stopped) without a web server, migrations, the policy engine, sealing or relaying, so
 * it runs from any directory. Not a {@code @Configuration}: the service's own scan must not find it.
 */
@EnableAutoConfiguration
@ComponentScan("org.scimgate.database")
@ConfigurationPropertiesScan("org.scimgate.database")
@Import(AuditChain.class)
final class AuditVerification {

    private AuditVerification() {
    }

    /** Verifies the chain and prints the findings; {@code args} may override settings as {@code --key=value}. */
    static int run(PrintStream out, PrintStream err, String... args) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(AuditVerification.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.flyway.enabled=false", "logging.level.root=WARN",
                        // the service's health groups name indicators this context does not have
                        "management.endpoint.health.validate-group-membership=false");
        // The service's listeners (the rules preloader) have nothing to do here.
        builder.application().setListeners(builder.application().getListeners().stream()
                .filter(l -> !l.getClass().getName().startsWith("org.scimgate.")).toList());
        try (ConfigurableApplicationContext context = builder.run(args)) {
            return AuditCommand.verify(context.getBean(AuditChain.class), out, err);
        }
    }
}
