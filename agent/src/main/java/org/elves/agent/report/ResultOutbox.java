package org.elves.agent.report;

import org.apache.thrift.TException;
import org.elves.agent.LightJson;
import org.elves.agent.LogThrottle;
import org.elves.agent.state.AtomicFiles;
import org.elves.agent.state.FileSafeNames;
import org.elves.agent.state.InstructJson;
import org.elves.agent.state.PrivateFiles;
import org.elves.agent.task.ResultSink;
import org.elves.protocol.FilePaths;
import org.elves.protocol.thrift.Reinstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The results of async tasks on their way to the scheduler ({@code SchedulerService.dataTransport}),
 * kept on disk so none is lost while the center or its broker is down or the agent restarts. It
 * serves every async result alike: center-initiated tasks (queue and center cron instructs that came
 * over Thrift) and runs of the agent-side crons (AANP/AAP). The scheduler records the outcome and,
 * in mode P, delivers the result to the app's processor; the agent never calls a processor itself
 * (it would be delivered twice).
 * <ul>
 *   <li>{@link #deliver}: when nothing waits, the result is sent at once from the calling thread (no
 *   disk write on that path: a queue task's latency matters); only when that fails, or older results
 *   wait, it is written atomically (and flushed) to {@code <dir>/<task id, file-safe>.json};</li>
 *   <li>one sender at a time delivers the files oldest first, deletes each once the scheduler took
 *   it, and retries a failure after a pause (1 s doubling to 30 s) for as long as it takes;</li>
 *   <li>at most {@code max} results wait: beyond that the oldest is dropped with an ERROR log.</li>
 * </ul>
 * A crash between delivery and deletion delivers that result once more after the restart; the
 * center keeps the first result of a task id.
 */
public final class ResultOutbox implements ResultSink, AutoCloseable {
    static final long FIRST_PAUSE_MILLIS = 1000;
    static final long MAX_PAUSE_MILLIS = 30_000;
    private static final String SUFFIX = ".json";
    private static final Logger LOG = LoggerFactory.getLogger(ResultOutbox.class);

    /** Delivers one result, e.g. {@code SchedulerService.dataTransport}; throws when it did not. */
    @FunctionalInterface
    public interface Sender {
        void send(Reinstruct reins) throws TException;
    }

    private final String ip;
    private final Path dir;
    private final int max;
    private final Sender sender;
    private final Executor worker;
    private final ScheduledExecutorService retryTimer;
    private final LogThrottle failures = new LogThrottle(60_000);
    /** file names, oldest first. */
    private final LinkedHashSet<String> pending = new LinkedHashSet<>();
    /** results whose file could not be written: delivered from memory, lost on a restart. */
    private final Map<String, Reinstruct> unsaved = new ConcurrentHashMap<>();
    private String inFlight;
    private boolean draining;
    private boolean closed;
    private long pauseMillis = FIRST_PAUSE_MILLIS;
    private long failedAttempts;
    private ScheduledFuture<?> retry;

    /**
     * @param worker     runs the sender (it blocks on the network); shared by the agents of a fleet
     * @param retryTimer waits out the pauses between attempts
     */
    public ResultOutbox(String ip, Path dir, int max, Sender sender, Executor worker, ScheduledExecutorService retryTimer) {
        this.ip = ip;
        this.dir = dir;
        this.max = max;
        this.sender = sender;
        this.worker = worker;
        this.retryTimer = retryTimer;
    }

    /**
     * Moves the result files of another directory into this outbox, e.g. {@code cron-results/}, where
     * an older agent kept the agent-side cron results; call before {@link #start}.
     */
    public void importFrom(Path oldDir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(oldDir, "*" + SUFFIX)) {
            PrivateFiles.createDirectories(dir);
            for (Path f : files) {
                Files.move(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (NoSuchFileException e) {
            // nothing to import
        } catch (IOException e) {
            LOG.error("agent {}: results in {} not moved to {}: {}", ip, oldDir, dir, e.toString());
        }
    }

    /** Picks up the results a previous run of the agent left undelivered and starts sending them. */
    public void start() {
        List<Path> found = new ArrayList<>();
        Map<Path, FileTime> times = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = FilePaths.name(f);
                if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
                    Files.deleteIfExists(f); // a write the last run did not finish: its result was never handed over
                } else if (name.endsWith(SUFFIX)) {
                    found.add(f);
                    times.put(f, Files.getLastModifiedTime(f));
                }
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOG.error("agent {}: results in {} not readable: {}", ip, dir, e.toString());
            return;
        }
        found.sort(Comparator.comparing((Path f) -> times.get(f)).thenComparing(FilePaths::name));
        synchronized (this) {
            for (Path f : found) {
                pending.add(FilePaths.name(f));
            }
            if (!found.isEmpty()) {
                LOG.info("agent {}: {} result(s) from before the restart wait for the scheduler",
                        ip, found.size());
            }
            dropOverBound();
            kick();
        }
    }

    /**
     * Sends the result at once when no older one waits and the scheduler is reachable; otherwise
     * keeps it on disk for the sender. Returns once the scheduler took it or it is on disk (or, when
     * the disk refuses, in memory: logged). Blocks for at most one attempt. Never throws.
     */
    @Override
    public void deliver(Reinstruct reins) {
        synchronized (this) {
            if (closed || draining || !pending.isEmpty()) {
                add(reins);
                return;
            }
        }
        try {
            sender.send(reins);
            return;
        } catch (TException | RuntimeException e) {
            LOG.debug("agent {}: result {} not delivered at once ({}); kept in the outbox", ip, runId(reins), e.toString());
        }
        add(reins);
    }

    /** Keeps the result on disk, then has it sent. Never throws. */
    public void add(Reinstruct reins) {
        String runId = runId(reins);
        String name = FileSafeNames.of(runId == null || runId.isEmpty() ? "unnamed-" + System.nanoTime() : runId, SUFFIX);
        try {
            AtomicFiles.write(dir.resolve(name), LightJson.writeValue(InstructJson.toJson(reins))
                    .getBytes(StandardCharsets.UTF_8), true);
        } catch (IOException | RuntimeException e) {
            unsaved.put(name, reins);
            LOG.error("agent {}: result {} not written to {} ({}); it is kept in memory only", ip, runId, dir,
                    e.toString());
        }
        synchronized (this) {
            pending.remove(name);
            pending.add(name);
            dropOverBound();
            kick();
        }
    }

    /** How many results wait for the scheduler. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    public Path dir() {
        return dir;
    }

    /** Stops sending; what is not delivered stays on disk for the next start. */
    @Override
    public synchronized void close() {
        closed = true;
        if (retry != null) {
            retry.cancel(false);
        }
    }

    private void dropOverBound() {
        Iterator<String> oldest = pending.iterator();
        while (pending.size() > max && oldest.hasNext()) {
            String name = oldest.next();
            if (name.equals(inFlight)) {
                continue;
            }
            oldest.remove();
            unsaved.remove(name);
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                LOG.warn("agent {}: {} not deleted: {}", ip, dir.resolve(name), e.toString());
            }
            LOG.error("agent {}: result {} DROPPED undelivered: more than outbox.max = {} results wait for"
                    + " the scheduler", ip, FileSafeNames.idOf(name, SUFFIX), max);
        }
    }

    /** Starts the sender unless it runs or waits for a retry already. Holding the lock. */
    private void kick() {
        if (draining || closed || pending.isEmpty()) {
            return;
        }
        draining = true;
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException e) {
            draining = false; // the agent is closing; the files stay for the next start
        }
    }

    private void drain() {
        while (true) {
            String name;
            synchronized (this) {
                inFlight = null;
                if (closed || pending.isEmpty()) {
                    draining = false;
                    return;
                }
                name = pending.iterator().next();
                inFlight = name;
            }
            Reinstruct reins = unsaved.containsKey(name) ? unsaved.get(name) : read(dir.resolve(name));
            if (reins == null) {
                synchronized (this) {
                    pending.remove(name);
                }
                continue;
            }
            try {
                sender.send(reins);
            } catch (TException | RuntimeException e) {
                failed(e);
                return;
            }
            long failedBefore;
            synchronized (this) {
                pending.remove(name);
                unsaved.remove(name);
                pauseMillis = FIRST_PAUSE_MILLIS;
                failedBefore = failedAttempts;
                failedAttempts = 0;
            }
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                LOG.error("agent {}: delivered result {} not deleted ({}); it may be delivered again after a"
                        + " restart", ip, FileSafeNames.idOf(name, SUFFIX), e.toString());
            }
            if (failedBefore > 0) {
                failures.reset();
                LOG.info("agent {}: results reach the scheduler again (after {} failed attempt(s))", ip, failedBefore);
            }
        }
    }

    private void failed(Exception e) {
        int waiting;
        long pause;
        synchronized (this) {
            inFlight = null;
            failedAttempts++;
            waiting = pending.size();
            pause = pauseMillis;
            pauseMillis = Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
            if (closed) {
                draining = false;
                return;
            }
            try {
                retry = retryTimer.schedule(this::retry, pause, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                draining = false;
                return;
            }
        }
        long suppressed = failures.permit();
        if (suppressed >= 0) {
            LOG.warn("agent {}: {} result(s) wait for the scheduler ({}); retrying in {} ms{}", ip,
                    waiting, e.toString(), pause, suppressed > 0 ? " (" + suppressed + " more failures since the last warning)" : "");
        }
    }

    private void retry() {
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                draining = false;
            }
        }
    }

    private Reinstruct read(Path file) {
        try {
            return InstructJson.reinstruct(LightJson.parse(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".bad");
            LOG.error("agent {}: result file {} is unreadable ({}); moved to {}", ip, file, e.toString(), aside);
            try {
                Files.move(file, aside);
            } catch (IOException ignored) {
                // it stays; the next start tries again
            }
            return null;
        }
    }

    private static String runId(Reinstruct reins) {
        return reins.getIns() == null ? null : reins.getIns().getId();
    }
}
