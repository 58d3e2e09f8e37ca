package org.scimgate.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Starts compiling the rules as soon as the configuration is known, on a thread of its own, so
 * that Drools' compilation overlaps the rest of start-up (the database, the web
 * server) instead of following it. The policy engine takes the result when it is created.
 */
class RulesetPreloader implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Map<Path, Started> STARTED = new ConcurrentHashMap<>();

    /** A compilation begun with a compiler's allow-list and timeout; handed only to an engine with the same. */
    private record Started(CompletableFuture<Ruleset> ruleset, RulesetCompiler.Limits limits) {
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        PolicySettings settings;
        try {
            settings = Binder.get(event.getEnvironment()).bindOrCreate("scimgate.policy", PolicySettings.class);
        } catch (RuntimeException e) {
            return; // the policy engine binds the settings again and reports what is wrong
        }
        Path key = key(settings.rulesDir());
        RulesetCompiler compiler = settings.compiler(Clock.systemUTC());
        CompletableFuture<Ruleset> compile = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                compile.complete(compiler.compile(key));
            } catch (Throwable e) {
                compile.completeExceptionally(e);
            }
        }, "ruleset-preload");
        thread.setDaemon(true);
        thread.setContextClassLoader(RulesetPreloader.class.getClassLoader());
        Started previous = STARTED.put(key, new Started(compile, compiler.limits()));
        if (previous != null) {
            previous.ruleset().thenAccept(Ruleset::close);
        }
        thread.start();
    }

    /**
     * The compilation started for this directory with the same allow-list and timeout as the
     * compiler, if any; it is handed out once.
     */
    static CompletableFuture<Ruleset> take(Path dir, RulesetCompiler compiler) {
        Started started = STARTED.remove(key(dir));
        if (started == null) {
            return null;
        }
        if (!started.limits().equals(compiler.limits())) {
            started.ruleset().thenAccept(Ruleset::close);
            return null;
        }
        return started.ruleset();
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }
}
