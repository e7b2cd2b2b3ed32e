package org.elves.agent.appsync;

import org.elves.agent.LightJson;
import org.elves.agent.state.AtomicFiles;
import org.elves.agent.appsync.PackageFetcher.PackageException;
import org.elves.agent.runner.AppGate;
import org.elves.agent.runner.InstalledApps;
import org.elves.protocol.FilePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Installs the apps the center distributes (reference §8.4 with G30 and G46 fixed). A heartbeat
 * answer with {@code "packages"} is authoritative for distributed apps:
 * <ul>
 *   <li>an app whose installed version differs from the package's (any difference, roll-backs
 *   too) is downloaded, checked (size, SHA-256), unpacked into {@code <appsDir>/.staging/} and
 *   switched in: the current {@code apps/<app>} is renamed to {@code <appsDir>/.retired/}, the
 *   staged directory renamed to {@code apps/<app>}. Workers running from the old version keep
 *   running; its files are deleted once no worker of the app runs;</li>
 *   <li>an app installed through distribution (kept in {@code <statedir>/apps.json}) that is
 *   absent from the packages is revoked: moved to {@code .retired} at once (no longer runnable),
 *   deleted once no worker of it runs. Apps installed by hand are never removed;</li>
 *   <li>a failure leaves the installed version as it is; the same (app, version, sha256) is tried
 *   again on an answer after 60 s, then 120 s, ... up to 10 min.</li>
 * </ul>
 * An answer without {@code "packages"} changes nothing. Work happens one package at a time on a
 * task of the shared executor, never on the heartbeat thread. One instance serves one apps dir
 * (the agents of an emulated fleet share it).
 */
public final class AppDistributor implements AutoCloseable {
    static final String STAGING = ".staging";
    static final String RETIRED = ".retired";
    static final String DOWNLOADS = "downloads";
    static final String STATE_FILE = "apps.json";
    static final Duration FIRST_RETRY = Duration.ofSeconds(60);
    static final Duration LAST_RETRY = Duration.ofMinutes(10);
    /** The unpacked files may take this many times apps.maxpackagebytes. */
    static final int UNPACKED_FACTOR = 4;
    private static final Logger LOG = LoggerFactory.getLogger(AppDistributor.class);
    private static final AtomicLong SEQUENCE = new AtomicLong(System.currentTimeMillis());

    public static final String INSTALLED = "installed";
    public static final String DOWNLOADING = "downloading";
    public static final String FAILED = "failed";

    private final String owner;
    private final Path appsDir;
    private final Path stateFile;
    private final Path downloads;
    private final AppGate gate;
    private final InstalledApps apps;
    private final long maxPackageBytes;
    private final Executor executor;
    private final PackageFetcher fetcher;

    // guarded by this
    private final Map<String, Installed> installed = new TreeMap<>();
    private Map<String, PackageRef> wanted;
    private Map<String, String> unusable = Map.of();
    private final Map<String, Failure> failures = new TreeMap<>();
    private String downloading;
    private boolean pumping;
    private boolean retiredPending;
    private Thread pumpThread;
    private boolean closed;

    private record Installed(String version, String sha256) {
    }

    private record Failure(String key, int attempts, long retryAtNanos, String error) {
    }

    /** What a distributed app's status says; {@code error} is null unless failed. */
    public record AppState(String version, String state, String error) {
    }

    /**
     * @param owner           names the agent(s) in logs
     * @param configured      cfg.json's {@code apps} (versions of apps installed by hand)
     * @param gate            shared with the runners of this apps dir
     * @param executor        runs the installs and the HTTP client; shared, may grow a thread
     */
    public AppDistributor(String owner, Path appsDir, Path stateDir, Map<String, String> configured, AppGate gate,
                          long maxPackageBytes, Duration downloadTimeout, Executor executor) {
        this.owner = owner;
        this.appsDir = appsDir.toAbsolutePath().normalize();
        this.stateFile = stateDir.resolve(STATE_FILE);
        this.downloads = stateDir.resolve(DOWNLOADS);
        this.gate = gate;
        this.apps = new InstalledApps(appsDir, configured, gate);
        this.maxPackageBytes = maxPackageBytes;
        this.executor = executor;
        this.fetcher = new PackageFetcher(executor, downloadTimeout, maxPackageBytes);
    }

    public AppGate gate() {
        return gate;
    }

    /**
     * Clears what an earlier run left half done (downloads, staged and retired directories) and
     * loads the distributed apps from {@code apps.json}.
     */
    public synchronized void start() {
        deleteChildren(downloads);
        deleteChildren(appsDir.resolve(STAGING));
        // no worker runs yet: every retired version can go
        deleteChildren(appsDir.resolve(RETIRED));
        load();
    }

    /**
     * The {@code "packages"} value of a heartbeat answer. Returns at once; the work is done on
     * the executor.
     */
    public void onAnswer(Object packages) {
        if (!(packages instanceof Map)) {
            LOG.warn("{}: the \"packages\" of the heartbeat answer is not an object; apps unchanged", owner);
            return;
        }
        Map<String, PackageRef> refs = new LinkedHashMap<>();
        Map<String, String> bad = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) packages).entrySet()) {
            String app = String.valueOf(e.getKey());
            try {
                refs.put(app, PackageRef.parse(app, e.getValue()));
            } catch (IllegalArgumentException bad1) {
                bad.put(app, "unusable package entry: " + bad1.getMessage());
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            for (Map.Entry<String, String> e : bad.entrySet()) {
                if (!e.getValue().equals(unusable.get(e.getKey()))) {
                    LOG.warn("{}: app [{}]: {}; the installed version is kept", owner, e.getKey(), e.getValue());
                }
            }
            wanted = Map.copyOf(refs);
            unusable = Map.copyOf(bad);
            if (pumping || !(retiredPending || hasWork(System.nanoTime()))) {
                return;
            }
            pumping = true;
        }
        try {
            executor.execute(this::pump);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                pumping = false; // the shared executor is shutting down: the agent is closing
            }
        }
    }

    /** {@code {"app":{"version":..,"state":..,"error":..}}} as JSON text, for AgentInfo.appStatus. */
    public String statusJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        status().forEach((app, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", s.version());
            m.put("state", s.state());
            if (s.error() != null) {
                m.put("error", s.error());
            }
            out.put(app, m);
        });
        return LightJson.writeValue(out);
    }

    /** The state of each distributed app: those of the last packages, else those installed. */
    public synchronized Map<String, AppState> status() {
        Map<String, AppState> out = new TreeMap<>();
        if (wanted == null) {
            installed.forEach((app, i) -> out.put(app, new AppState(i.version(), INSTALLED, null)));
            return out;
        }
        for (PackageRef ref : wanted.values()) {
            String current = currentVersion(ref.app());
            Failure f = failures.get(ref.app());
            if (ref.version().equals(current)) {
                out.put(ref.app(), new AppState(current, INSTALLED, null));
            } else if (f != null && f.key().equals(ref.attemptKey()) && !ref.app().equals(downloading)) {
                out.put(ref.app(), new AppState(ref.version(), FAILED, f.error()));
            } else {
                out.put(ref.app(), new AppState(ref.version(), DOWNLOADING, null));
            }
        }
        unusable.forEach((app, error) -> {
            Installed i = installed.get(app);
            out.put(app, new AppState(i == null ? "" : i.version(), FAILED, error));
        });
        return out;
    }

    /** The version installed now: the distributed one, else the hand-installed one, else null. */
    private String currentVersion(String app) {
        Installed i = installed.get(app);
        return i != null ? i.version() : apps.versionOf(app);
    }

    private boolean hasWork(long now) {
        return nextRevoke() != null || nextInstall(now) != null;
    }

    private String nextRevoke() {
        if (wanted == null) {
            return null;
        }
        for (String app : installed.keySet()) {
            if (!wanted.containsKey(app) && !unusable.containsKey(app)) {
                return app;
            }
        }
        return null;
    }

    private PackageRef nextInstall(long now) {
        if (wanted == null) {
            return null;
        }
        for (PackageRef ref : wanted.values()) {
            if (ref.version().equals(currentVersion(ref.app()))) {
                continue;
            }
            Failure f = failures.get(ref.app());
            if (f != null && f.key().equals(ref.attemptKey()) && now - f.retryAtNanos() < 0) {
                continue;
            }
            return ref;
        }
        return null;
    }

    /** Does the pending work, one app at a time, until there is none. */
    private void pump() {
        synchronized (this) {
            pumpThread = Thread.currentThread();
        }
        try {
            while (true) {
                String revoke;
                PackageRef install;
                boolean sweep;
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    long now = System.nanoTime();
                    revoke = nextRevoke();
                    install = revoke == null ? nextInstall(now) : null;
                    sweep = retiredPending;
                    retiredPending = false;
                    if (revoke == null && install == null && !sweep) {
                        pumping = false;
                        return;
                    }
                    downloading = install == null ? null : install.app();
                }
                if (revoke != null) {
                    revoke(revoke);
                } else if (install != null) {
                    install(install);
                }
                if (sweep) {
                    sweepRetired();
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{}: app distribution stopped by an unexpected error; it resumes with the next heartbeat"
                    + " answer", owner, e);
        } finally {
            synchronized (this) {
                downloading = null;
                pumping = false;
                pumpThread = null;
                Thread.interrupted(); // a pooled thread goes back clean
                notifyAll();
            }
        }
    }

    private void install(PackageRef ref) {
        String id = ref.app() + "@" + SEQUENCE.incrementAndGet();
        Path part = downloads.resolve(id + ".part");
        Path staging = appsDir.resolve(STAGING).resolve(id);
        String before = currentVersionLocked(ref.app());
        try {
            Files.createDirectories(downloads);
            LOG.info("{}: app [{}]: downloading version {} from {}", owner, ref.app(), ref.version(), ref.safeUrl());
            fetcher.fetch(ref, part);
            Files.createDirectories(staging);
            SafeUnzip.extract(part, staging, maxPackageBytes * UNPACKED_FACTOR);
            Files.deleteIfExists(part);
            synchronized (this) {
                PackageRef now = wanted == null ? null : wanted.get(ref.app());
                if (closed || now == null || !now.attemptKey().equals(ref.attemptKey())) {
                    LOG.info("{}: app [{}]: version {} no longer wanted once downloaded; not installed", owner,
                            ref.app(), ref.version());
                    return;
                }
                switchIn(ref, staging);
                installed.put(ref.app(), new Installed(ref.version(), ref.sha256()));
                failures.remove(ref.app());
                save();
            }
            LOG.info("{}: app [{}]: version {} installed{}", owner, ref.app(), ref.version(),
                    before == null ? "" : " (was " + before + ")");
        } catch (PackageException | IOException e) {
            String error = e instanceof PackageException ? e.getMessage() : "install failed: " + e;
            failed(ref, error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info("{}: app [{}]: download of version {} stopped: the agent is closing", owner, ref.app(),
                    ref.version());
        } finally {
            deleteTree(staging);
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // swept at the next start
            }
        }
    }

    private synchronized String currentVersionLocked(String app) {
        return currentVersion(app);
    }

    private synchronized void failed(PackageRef ref, String error) {
        Failure old = failures.get(ref.app());
        int attempts = old != null && old.key().equals(ref.attemptKey()) ? old.attempts() + 1 : 1;
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 10));
        if (wait.compareTo(LAST_RETRY) > 0) {
            wait = LAST_RETRY;
        }
        failures.put(ref.app(), new Failure(ref.attemptKey(), attempts, System.nanoTime() + wait.toNanos(), error));
        downloading = null;
        String current = currentVersion(ref.app());
        LOG.warn("{}: app [{}]: version {} from {} not installed: {}; {} stays, retry in {} s", owner, ref.app(),
                ref.version(), ref.safeUrl(), error, current == null ? "no version" : "version " + current,
                wait.toSeconds());
    }

    /** Moves the current directory aside and the staged one in, under the runners' gate. Holds this. */
    private void switchIn(PackageRef ref, Path staging) throws IOException {
        Path target = appsDir.resolve(ref.app());
        Files.createDirectories(appsDir.resolve(RETIRED));
        gate.switchLock().lock();
        try {
            Path old = null;
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                old = appsDir.resolve(RETIRED).resolve(ref.app() + "@" + SEQUENCE.incrementAndGet());
                move(target, old);
                retiredPending = true;
            }
            try {
                move(staging, target);
            } catch (IOException e) {
                if (old != null) {
                    move(old, target);
                }
                throw e;
            }
            gate.distributed(ref.app(), ref.version());
        } finally {
            gate.switchLock().unlock();
        }
    }

    private void revoke(String app) {
        Path target = appsDir.resolve(app);
        String version;
        synchronized (this) {
            if (closed) {
                return;
            }
            Installed i = installed.remove(app);
            version = i == null ? "?" : i.version();
            failures.remove(app);
            gate.switchLock().lock();
            try {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(appsDir.resolve(RETIRED));
                    move(target, appsDir.resolve(RETIRED).resolve(app + "@" + SEQUENCE.incrementAndGet()));
                    retiredPending = true;
                }
                gate.distributed(app, null);
            } catch (IOException e) {
                LOG.warn("{}: app [{}]: revoked by the center but its directory could not be moved away ({});"
                        + " it stays runnable", owner, app, e.toString());
            } finally {
                gate.switchLock().unlock();
            }
            save();
        }
        LOG.info("{}: app [{}]: version {} removed (no longer distributed to this agent)", owner, app, version);
    }

    /** Deletes retired versions no worker of their app may still use; keeps the others for later. */
    private void sweepRetired() {
        Path dir = appsDir.resolve(RETIRED);
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(entries::add);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOG.warn("{}: cannot list {}: {}", owner, dir, e.toString());
            return;
        }
        boolean left = false;
        for (Path p : entries) {
            String name = FilePaths.name(p);
            int at = name.lastIndexOf('@');
            String app = at < 0 ? name : name.substring(0, at);
            if (gate.running(app) > 0) {
                left = true;
            } else {
                deleteTree(p);
            }
        }
        if (left) {
            synchronized (this) {
                retiredPending = true;
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // same directory tree, so same file system: not expected; a plain move still works
            Files.move(from, to);
        }
    }

    private void save() {
        Map<String, Object> list = new TreeMap<>();
        installed.forEach((app, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", i.version());
            m.put("sha256", i.sha256());
            list.put(app, m);
        });
        try {
            AtomicFiles.write(stateFile, LightJson.writeValue(Map.of("apps", list)).getBytes(StandardCharsets.UTF_8),
                    true);
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: distributed apps not saved to {} ({}); after a restart they count as installed by hand",
                    owner, stateFile, e.toString());
        }
    }

    private void load() {
        Object root;
        try {
            root = AtomicFiles.readJson(stateFile);
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: {} not readable ({}); distributed apps count as installed by hand until the center"
                    + " sends packages again", owner, stateFile, e.toString());
            return;
        }
        if (root == null) {
            return;
        }
        Object list = root instanceof Map ? ((Map<?, ?>) root).get("apps") : null;
        if (!(list instanceof Map)) {
            LOG.error("{}: {} holds no \"apps\" object; ignored", owner, stateFile);
            return;
        }
        boolean dropped = false;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) list).entrySet()) {
            String app = String.valueOf(e.getKey());
            Object v = e.getValue() instanceof Map ? ((Map<?, ?>) e.getValue()).get("version") : null;
            Object sha = e.getValue() instanceof Map ? ((Map<?, ?>) e.getValue()).get("sha256") : null;
            if (v == null || !InstalledApps.isValidName(app)) {
                dropped = true;
                continue;
            }
            if (!Files.isDirectory(appsDir.resolve(app))) {
                LOG.warn("{}: distributed app [{}] version {} is no longer in {}; the center's next packages"
                        + " install it again", owner, app, v, appsDir);
                dropped = true;
                continue;
            }
            installed.put(app, new Installed(v.toString(), sha == null ? "" : sha.toString()));
            gate.distributed(app, v.toString());
        }
        if (dropped) {
            save();
        }
        if (!installed.isEmpty()) {
            LOG.info("{}: {} distributed app(s) loaded from {}: {}", owner, installed.size(), stateFile,
                    installed.keySet());
        }
    }

    private void deleteChildren(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                deleteTree(p);
            }
        } catch (NoSuchFileException e) {
            // nothing left over
        } catch (IOException e) {
            LOG.warn("{}: cannot clear {}: {}", owner, dir, e.toString());
        }
    }

    private void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("{}: cannot delete {}: {}", owner, root, e.toString());
        }
    }

    /** Stops the work in progress (an unfinished download is dropped) and waits a little for it. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (pumpThread != null) {
                pumpThread.interrupt();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pumping) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }
}
