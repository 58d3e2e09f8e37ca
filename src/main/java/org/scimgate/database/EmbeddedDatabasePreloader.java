package org.scimgate.database;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

/**
 * Starts the embedded PostgreSQL as soon as the configuration is known, on a thread of its own,
 * so that initdb or the server's start overlap the Spring context's own start instead of
 * following the beans created before the database's. The database bean takes it when it is
 * created, exactly as if it had started it itself (the same lock on the data directory, the same
 * checks, the same failures). A start that fails before the bean took it stops it again.
 */
class EmbeddedDatabasePreloader implements GenericApplicationListener {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabasePreloader.class);
    private static final String APP_ROLE = "spring.flyway.placeholders.app_role";
    private static final Map<Started, CompletableFuture<EmbeddedDatabase>> STARTED = new ConcurrentHashMap<>();

    /** What a database was started with: handed only to a bean asking for the same. */
    private record Started(Path dataDir, int port, String appRole) {

        static Started of(DatabaseSettings settings, String appRole) {
            return new Started(settings.dataDir().toAbsolutePath().normalize(), settings.embeddedPort(), appRole);
        }
    }

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        Class<?> type = eventType.getRawClass();
        return type != null && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
                || ApplicationFailedEvent.class.isAssignableFrom(type)
                || ApplicationReadyEvent.class.isAssignableFrom(type));
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            start(prepared);
        } else {
            // Failed before the database bean was created, or ready without one: nobody will take it.
            stopUntaken();
        }
    }

    private static void start(ApplicationEnvironmentPreparedEvent event) {
        var environment = event.getEnvironment();
        if (!environment.getProperty("spring.datasource.url", "").isEmpty()) {
            return; // an external database: DatabaseConfiguration is off
        }
        DatabaseSettings settings;
        String appRole;
        try {
            settings = Binder.get(environment).bindOrCreate("scimgate.database", DatabaseSettings.class);
            appRole = environment.getProperty(APP_ROLE, "scimgate_app");
        } catch (RuntimeException e) {
            return; // the database bean binds the settings again and reports what is wrong
        }
        Started key = Started.of(settings, appRole);
        CompletableFuture<EmbeddedDatabase> database = new CompletableFuture<>();
        if (STARTED.putIfAbsent(key, database) != null) {
            return; // one is starting already for this directory
        }
        Thread thread = new Thread(() -> {
            try {
                database.complete(new EmbeddedDatabase(settings, appRole));
            } catch (Throwable e) {
                database.completeExceptionally(e);
            }
        }, "database-preload");
        thread.setDaemon(true);
        thread.setContextClassLoader(EmbeddedDatabasePreloader.class.getClassLoader());
        thread.start();
    }

    /**
     * The database started for these settings, waited for; or one started now when none was.
     * Its failure is thrown as the constructor's own.
     */
    static EmbeddedDatabase take(DatabaseSettings settings, String appRole) {
        CompletableFuture<EmbeddedDatabase> started = STARTED.remove(Started.of(settings, appRole));
        if (started == null) {
            return new EmbeddedDatabase(settings, appRole);
        }
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static void stopUntaken() {
        for (Started key : STARTED.keySet()) {
            CompletableFuture<EmbeddedDatabase> untaken = STARTED.remove(key);
            if (untaken == null) {
                continue;
            }
            EmbeddedDatabase database;
            try {
                database = untaken.join();
            } catch (CompletionException neverStarted) {
                continue;
            }
            try {
                database.close();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("Could not stop the embedded PostgreSQL in {}: {}", key.dataDir(), e.toString());
            }
        }
    }
}
