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
 *
 * <p>A compilation is handed out only for exactly the files it was compiled from: the directory is
 * read when the compilation starts, and read again when it is taken; if any rule file, the
 * reference data or an example changed in between (or the compilation was started for settings the
 * engine does not use, as a test's settings added after the environment is prepared), it is closed
 * and the engine compiles the directory as it is now. The compilations are kept by directory for
 * the whole JVM, which may start many services one after another.
 */
class RulesetPreloader implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Map<Path, Started> STARTED = new ConcurrentHashMap<>();

    /**
     * A compilation begun with a compiler's allow-list and timeout from these files; handed only to
     * an engine with the same limits, while the directory still holds the same files.
     */
    private record Started(CompletableFuture<Ruleset> ruleset, RulesetCompiler.Limits limits, RulesetSource source) {
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
        RulesetSource source;
        try {
            source = RulesetSource.read(key);
        } catch (RuntimeException e) {
            return; // the policy engine reads the directory again and reports what is wrong
        }
        RulesetCompiler compiler = settings.compiler(Clock.systemUTC());
        CompletableFuture<Ruleset> compile = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                compile.complete(compiler.compile(key, source));
            } catch (Throwable e) {
                compile.completeExceptionally(e);
            }
        }, "ruleset-preload");
        thread.setDaemon(true);
        thread.setContextClassLoader(RulesetPreloader.class.getClassLoader());
        Started previous = STARTED.put(key, new Started(compile, compiler.limits(), source));
        if (previous != null) {
            close(previous);
        }
        thread.start();
    }

    /**
     * The compilation started for this directory with the same allow-list and timeout as the
     * compiler, if any, and only while the directory holds exactly the files it was compiled from;
     * it is handed out once. Null: the caller compiles the directory.
     */
    static CompletableFuture<Ruleset> take(Path dir, RulesetCompiler compiler) {
        Started started = STARTED.remove(key(dir));
        if (started == null) {
            return null;
        }
        if (!started.limits().equals(compiler.limits()) || !unchanged(started.source(), dir)) {
            close(started);
            return null;
        }
        return started.ruleset();
    }

    /** Whether the directory still holds exactly these files; a directory that cannot be read has not. */
    private static boolean unchanged(RulesetSource compiled, Path dir) {
        try {
            return compiled.sameFilesAs(RulesetSource.read(key(dir)));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void close(Started started) {
        started.ruleset().thenAccept(Ruleset::close);
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }
}
