package org.scimgate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Arrays;
import java.util.List;
import org.scimgate.genesys.GenesysCommand;
import org.scimgate.impact.ReplayCommand;
import org.scimgate.impact.ScanCommand;
import org.scimgate.policy.RulesCommand;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Runs the service, or one of its commands: {@code java -jar scimgate.jar rules check|test|eval|replay},
 * {@code audit verify} and {@code genesys topics|create-trigger|scan}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ScimgateApplication {

    public static void main(String[] args) {
        if (args.length > 1 && args[0].equals("rules") && args[1].equals("replay")) {
            quietLibraries();
            System.exit(new ReplayCommand(System.out, System.err, System::getenv, java.time.Clock.systemUTC())
                    .run(List.of(Arrays.copyOfRange(args, 2, args.length))));
        }
        if (args.length > 1 && args[0].equals("genesys") && args[1].equals("scan")) {
            quietLibraries();
            System.exit(new ScanCommand(System.out, System.err, System::getenv)
                    .run(List.of(Arrays.copyOfRange(args, 2, args.length))));
        }
        if (args.length > 0 && args[0].equals("rules")) {
            quietLibraries();
            System.exit(new RulesCommand(System.out, System.err).run(List.of(Arrays.copyOfRange(args, 1, args.length))));
        }
        if (args.length > 0 && args[0].equals("genesys")) {
            quietLibraries();
            System.exit(new GenesysCommand(System.out, System.err, System::getenv)
                    .run(List.of(Arrays.copyOfRange(args, 1, args.length))));
        }
        if (args.length > 0 && args[0].equals("audit")) {
            System.exit(audit(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(ScimgateApplication.class, args);
    }

    private static int audit(String[] args) {
        if (args.length != 1 || !args[0].equals("verify")) {
            System.err.println("Usage: java -jar scimgate.jar audit verify");
            return RulesCommand.USAGE;
        }
        quietLibraries();
        return AuditVerification.run(System.out, System.err);
    }

    /** A command prints its own findings; the libraries' start-up chatter would only bury them. */
    private static void quietLibraries() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("org.drools")).setLevel(Level.OFF);
        ((Logger) LoggerFactory.getLogger("org.kie")).setLevel(Level.OFF);
    }
}
