package org.scimgate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.scimgate.cli.Scimgate;
import org.scimgate.cli.Terminal;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Runs the service, or one of its commands ({@code java -jar scimgate.jar --help} lists them; the
 * command line is {@link Scimgate}). With no arguments, or only Spring Boot's {@code --name=value},
 * it runs the service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ScimgateApplication {

    public static void main(String[] args) {
        if (Scimgate.runsTheService(args)) {
            SpringApplication.run(ScimgateApplication.class, args);
            return;
        }
        quietLibraries();
        System.exit(Scimgate.execute(Terminal.system(), args));
    }

    /** A command prints its own findings; the libraries' start-up chatter would only bury them. */
    private static void quietLibraries() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("org.drools")).setLevel(Level.OFF);
        ((Logger) LoggerFactory.getLogger("org.kie")).setLevel(Level.OFF);
    }
}
