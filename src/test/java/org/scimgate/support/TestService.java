package org.scimgate.support;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.scimgate.ScimgateApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the whole service in this JVM, as {@code java -jar} would, for tests that need a service
 * of their own (its own data directory, database or settings). It runs with the {@code test}
 * profile (test credentials, relay off, SIEM file under tmp, watcher off) on a free port; each
 * {@code --key=value} argument adds or overrides a setting.
 */
public final class TestService {

    private TestService() {
    }

    public static ConfigurableApplicationContext start(String... settings) {
        return run(List.of("test"), settings);
    }

    /** On that database of the tests' PostgreSQL. */
    public static ConfigurableApplicationContext start(TestPostgres.Database database, String... settings) {
        return start(withDatabase(database, settings));
    }

    /**
     * Without the test profile: for tests of what the service does when credentials or the
     * relay are left to their defaults.
     */
    public static ConfigurableApplicationContext startAsConfigured(TestPostgres.Database database, String... settings) {
        return run(List.of(), withDatabase(database, settings));
    }

    public static int port(ConfigurableApplicationContext service) {
        return ((WebServerApplicationContext) service).getWebServer().getPort();
    }

    /** The address of a path on the service. */
    public static URI uri(ConfigurableApplicationContext service, String path) {
        return URI.create("http://127.0.0.1:" + port(service) + path);
    }

    private static String[] withDatabase(TestPostgres.Database database, String... settings) {
        List<String> args = new ArrayList<>();
        database.arguments().forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(List.of(settings));
        return args.toArray(String[]::new);
    }

    private static ConfigurableApplicationContext run(List<String> profiles, String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0"));
        args.addAll(List.of(settings));
        return new SpringApplicationBuilder(ScimgateApplication.class).profiles(profiles.toArray(String[]::new))
                .run(args.toArray(String[]::new));
    }
}
