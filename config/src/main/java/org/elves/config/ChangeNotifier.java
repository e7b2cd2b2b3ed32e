package org.elves.config;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls change listeners on one thread of their own, in the order changes happened. Listeners
 * must not run on ZooKeeper's event thread: a slow one would stall every watch and even
 * session handling of the process.
 */
final class ChangeNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeNotifier.class);

    private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "elves-config-listeners");
        thread.setDaemon(true);
        return thread;
    });

    Subscription subscribe(Consumer<Set<String>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void fire(Set<String> changedKeys) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            executor.execute(() -> deliver(changedKeys));
        } catch (RejectedExecutionException closed) {
            // closing: nobody is left to care about this change
        }
    }

    private void deliver(Set<String> changedKeys) {
        for (Consumer<Set<String>> listener : listeners) {
            try {
                listener.accept(changedKeys);
            } catch (RuntimeException e) {
                LOG.error("A config change listener failed on keys {}", changedKeys, e);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
