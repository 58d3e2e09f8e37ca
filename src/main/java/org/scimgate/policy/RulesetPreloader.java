package org.scimgate.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Starts compiling the rules as soon as the configuration is known, on a thread of its own, so
 * that Drools' compilation overlaps the rest of start-up (the database, the web
 * server) instead of following it. The policy engine takes the result when it is created.
 */
public class RulesetPreloader implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Map<Path, CompletableFuture<Ruleset>> STARTED = new ConcurrentHashMap<>();

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        String dir = event.getEnvironment().getProperty("scimgate.policy.rules-dir", "./rules");
        Path key = key(Path.of(dir));
        CompletableFuture<Ruleset> compile = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                compile.complete(new RulesetCompiler(Clock.systemUTC()).compile(key));
            } catch (Throwable e) {
                compile.completeExceptionally(e);
            }
        }, "ruleset-preload");
        thread.setDaemon(true);
        thread.setContextClassLoader(RulesetPreloader.class.getClassLoader());
        CompletableFuture<Ruleset> previous = STARTED.put(key, compile);
        if (previous != null) {
            previous.thenAccept(Ruleset::close);
        }
        thread.start();
    }

    /** The compilation started for this directory, if any; it is handed out once. */
    static CompletableFuture<Ruleset> take(Path dir) {
        return STARTED.remove(key(dir));
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }
}
