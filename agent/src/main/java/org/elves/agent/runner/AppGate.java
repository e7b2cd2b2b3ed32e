package org.elves.agent.runner;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What the runner and the app installer of one apps dir share (one per apps dir and JVM runtime,
 * so the agents of an emulated fleet share it with their apps dir):
 * <ul>
 *   <li>a lock: a worker's entry is resolved and its process started under the shared side, an
 *   app directory is switched (old moved aside, new renamed in) under the exclusive side, so a
 *   call never sees an app missing half-way through an update;</li>
 *   <li>how many workers of each app run now, so the installer deletes an old version's files
 *   only once no task of that app runs;</li>
 *   <li>the versions of the apps installed through distribution (they override cfg.json's
 *   {@code apps} and VERSION files).</li>
 * </ul>
 */
public final class AppGate {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, String> distributed = new ConcurrentHashMap<>();

    /** Held while a worker's entry is resolved and its process started. */
    Lock startLock() {
        return lock.readLock();
    }

    /** Held by the installer while it renames app directories. */
    public Lock switchLock() {
        return lock.writeLock();
    }

    void enter(String app) {
        if (app != null) {
            running.computeIfAbsent(app, a -> new AtomicInteger()).incrementAndGet();
        }
    }

    void exit(String app) {
        if (app != null) {
            running.computeIfPresent(app, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    /** Workers of this app running now (or being started). */
    public int running(String app) {
        AtomicInteger n = running.get(app);
        return n == null ? 0 : n.get();
    }

    /** Records the version of an app installed through distribution; null forgets it. */
    public void distributed(String app, String version) {
        if (version == null) {
            distributed.remove(app);
        } else {
            distributed.put(app, version);
        }
    }

    /** The distributed version of this app, null when it was not installed through distribution. */
    public String distributedVersion(String app) {
        return distributed.get(app);
    }

    /** The apps installed through distribution and their versions, sorted. */
    public Map<String, String> distributedVersions() {
        return new TreeMap<>(distributed);
    }
}
