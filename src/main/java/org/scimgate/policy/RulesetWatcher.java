package org.scimgate.policy;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the rules directory (DRL, decision tables, reference data and examples, in every
 * sub-directory) and reloads the policy when it changes, off the request path. Editors save in
 * bursts, so a reload waits until the directory has been quiet for {@code settle}.
 */
final class RulesetWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulesetWatcher.class);

    private final Path dir;
    private final Runnable reload;
    private final Duration settle;
    private final WatchService watcher;
    private final Thread thread;

    public RulesetWatcher(PolicyEngine engine, Duration settle) throws IOException {
        this(engine.rulesDir(), engine::reload, settle, "ruleset-watcher");
    }

    /** Watches {@code dir} and runs {@code reload} after each burst of changes (the shadow ruleset's too). */
    RulesetWatcher(Path dir, Runnable reload, Duration settle, String threadName) throws IOException {
        this.dir = dir;
        this.reload = reload;
        this.settle = settle;
        this.watcher = dir.getFileSystem().newWatchService();
        registerAll(dir);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        // Drools finds its services through the context class loader; give this thread the application's.
        this.thread.setContextClassLoader(RulesetWatcher.class.getClassLoader());
        this.thread.start();
        LOG.info("Watching {} for rule changes", dir.toAbsolutePath().normalize());
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean changed = drain(key);
                // Wait for the burst of saves to end.
                WatchKey next;
                while ((next = watcher.poll(settle.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    changed |= drain(next);
                }
                if (changed) {
                    try {
                        reload.run();
                    } catch (RuntimeException e) {
                        LOG.error("Reloading the rules in {} failed; the ruleset is unchanged", dir, e);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private boolean drain(WatchKey key) {
        Path dir = (Path) key.watchable();
        boolean changed = false;
        for (var event : key.pollEvents()) {
            changed = true;
            if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name && Files.isDirectory(dir.resolve(name))) {
                try {
                    registerAll(dir.resolve(name));
                } catch (IOException e) {
                    LOG.warn("Cannot watch the new directory {}: {}", dir.resolve(name), e.getMessage());
                }
            }
        }
        key.reset();
        return changed;
    }

    private void registerAll(Path root) throws IOException {
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                dir.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE, OVERFLOW);
            }
        }
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        watcher.close();
    }
}
