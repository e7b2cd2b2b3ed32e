package org.elves.agent.runner;

import org.elves.agent.output.AppSecrets;
import org.elves.agent.output.ByteSink;
import org.elves.agent.output.LiveOutput;
import org.elves.agent.output.SecretMasker;
import org.elves.agent.output.TaskOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs app workers as child processes (reference §8.5). Their standard output and error go either
 * through pipes drained by threads of a shared pool (realtime calls: measured faster), or to spool
 * files ({@link Spool}: async tasks, whose workers must outlive an agent that dies). Either way the
 * calling thread only waits, with a deadline, and can always give up: a worker that leaves a
 * background process holding its stdout open cannot hang a call. While a worker run under a task id
 * runs, what it writes is also streamed to the scheduler ({@link LiveOutput}), its app's secrets
 * masked.
 */
public final class AppRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppRunner.class);
    private static final File NO_INPUT = new File("/dev/null");
    /** stderr is only quoted in error texts; more than this is read and dropped. */
    static final int STDERR_KEPT = 4096;
    /**
     * A spooled worker that wrote more than this many times the output kept is a runaway and is
     * killed: its files must not fill the disk. Generous, because only the head is kept anyway.
     */
    static final int SPOOL_LIMIT_FACTOR = 16;
    /**
     * How often a spooled worker's files are measured (a stat each, about a microsecond) and an
     * abandon is noticed. A worker writing as fast as the page cache takes it (cat /dev/zero,
     * measured 2-3.5 GB/s here) overshoots the limit by up to this long's worth before it is killed.
     */
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * After the worker exited, a pipe whose reader has been waiting this long without a byte is
     * held open by a process the worker left behind, and is given up.
     */
    private static final long PIPE_STALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A reader thread not even started after this long (a starved machine) is given up too. */
    private static final long READER_START_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Tells a worker which agent runs it: with an emulated fleet that is not the machine's ip. */
    public static final String AGENT_IP_ENV = "ELVES_AGENT_IP";
    /** The result text of a worker killed by {@link #cancel(String)}. */
    public static final String CANCELLED = "app exec cancelled";
    /** The result a run returns after {@link #abandon()}: nobody is meant to see it. */
    static final String ABANDONED = "app exec error : the agent stopped waiting for the worker";

    private final InstalledApps apps;
    private final EntryResolver entries;
    private final String agentIp;
    private final ExecutorService io;
    private final int outputMaxBytes;
    /** Null: the output of running workers is not streamed. */
    private final LiveOutput live;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    /** Workers that can be cancelled, by the key (task id) they were run under. */
    private final Map<String, Worker> byKey = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile boolean abandoned;

    /**
     * @param agentIp        the agent's ip, given to workers as {@value #AGENT_IP_ENV}
     * @param apps           where apps are installed
     * @param python         interpreter for app-worker.py
     * @param outputMaxBytes stdout kept per call
     * @param io             pool that drains the children's pipes (two tasks per call); shared
     */
    public AppRunner(String agentIp, InstalledApps apps, String python, int outputMaxBytes, ExecutorService io) {
        this(agentIp, apps, python, outputMaxBytes, io, null);
    }

    /** As above, streaming the output of the workers run under a task id to {@code live} (null: none). */
    public AppRunner(String agentIp, InstalledApps apps, String python, int outputMaxBytes, ExecutorService io,
                     LiveOutput live) {
        this.agentIp = agentIp;
        this.apps = apps;
        this.entries = new EntryResolver(apps, python);
        this.outputMaxBytes = outputMaxBytes;
        this.io = io;
        this.live = live;
    }

    public InstalledApps apps() {
        return apps;
    }

    /** Runs the worker to completion (or its timeout) in the calling thread. Never throws. */
    public WorkerOutcome run(WorkerCall call) {
        return run(call, null);
    }

    /**
     * As {@link #run(WorkerCall)}, and while it runs, {@link #cancel(String)} with this key (a task
     * id; null or "" for none) kills it, which ends it as {@value #CANCELLED}.
     */
    public WorkerOutcome run(WorkerCall call, String key) {
        return run(call, key, null, started -> { });
    }

    /**
     * As {@link #run(WorkerCall, String)}, with the worker's output going to {@code spool} (null:
     * pipes), and {@code started} told the worker's identity as soon as it runs (before it is
     * waited for), so a journal can find it again after an agent restart.
     */
    public WorkerOutcome run(WorkerCall call, String key, Spool spool, Consumer<ProcessIdentity> started) {
        AppGate gate = apps.gate();
        // counted from before its entry is resolved to its exit: the installer deletes an old
        // version's files only when no worker of the app runs
        gate.enter(call.app());
        try {
            return start(call, key, spool, started, gate);
        } finally {
            gate.exit(call.app());
        }
    }

    private WorkerOutcome start(WorkerCall call, String key, Spool spool, Consumer<ProcessIdentity> started,
                                AppGate gate) {
        long start = System.nanoTime();
        Process process;
        long startedAt;
        Optional<List<String>> secrets = Optional.empty();
        // an update switches the app directory under the other side of this lock: the entry and
        // the directory resolved here are those of one version
        gate.startLock().lock();
        try {
            List<String> command;
            try {
                command = entries.command(call);
            } catch (WorkerRejected e) {
                return WorkerOutcome.error(e.getMessage(), 0);
            }
            if (closed) {
                return WorkerOutcome.error("app exec error : agent is shutting down", 0);
            }
            Path dir = apps.directoryOf(call.app());
            if (live != null && key != null && !key.isEmpty()) {
                // read with the entry: the secrets of the version that runs
                secrets = AppSecrets.of(dir);
            }
            start = System.nanoTime();
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(dir == null ? null : dir.toFile())
                        .redirectInput(NO_INPUT);
                if (spool != null) {
                    spool.prepare();
                    builder.redirectOutput(spool.out().toFile()).redirectError(spool.err().toFile());
                }
                builder.environment().put(AGENT_IP_ENV, agentIp);
                process = builder.start();
                startedAt = System.currentTimeMillis();
            } catch (IOException e) {
                return WorkerOutcome.error("app exec error : " + e.getMessage(), millisSince(start));
            }
        } finally {
            gate.startLock().unlock();
        }
        Worker worker = new Worker(process);
        TaskOutput output = secrets.map(names -> live.open(key, SecretMasker.of(names, call.param()))).orElse(null);
        boolean keyed = key != null && !key.isEmpty() && byKey.putIfAbsent(key, worker) == null;
        running.add(process);
        try {
            ProcessIdentity identity = ProcessIdentity.of(process.pid());
            if (identity != null) {
                started.accept(identity);
            }
            WorkerOutcome outcome = spool == null ? awaitPipes(call, worker, start, output)
                    : awaitSpool(worker, spool, call, start, output);
            return outcome.ranBetween(startedAt, worker.endedAt());
        } finally {
            // what is left of the output goes out in the sender's next round (the result does not wait for it)
            if (live != null) {
                live.finish(output);
            }
            running.remove(process);
            if (keyed) {
                byKey.remove(key, worker);
            }
        }
    }

    /**
     * Kills the running worker run under this key, with everything it started (as a timeout
     * does); its {@link #run} then answers {@value #CANCELLED}. False when no such worker runs.
     */
    public boolean cancel(String key) {
        Worker worker = key == null ? null : byKey.get(key);
        if (worker == null || !worker.process.isAlive()) {
            return false;
        }
        worker.cancelled = true;
        stop(worker.process);
        return true;
    }

    /** The one way a worker is ended before it exits: timeout, cancel, shutdown. */
    private static void stop(Process process) {
        ProcessTree.kill(process);
    }

    private WorkerOutcome awaitPipes(WorkerCall call, Worker worker, long start, TaskOutput output) {
        Process process = worker.process;
        CappedOutput stdout = new CappedOutput(outputMaxBytes, output == null ? ByteSink.NONE : output.stdout);
        CappedOutput stderr = new CappedOutput(STDERR_KEPT, output == null ? ByteSink.NONE : output.stderr);
        Future<?> out;
        Future<?> err;
        try {
            out = io.submit(() -> stdout.drain(process.getInputStream()));
            err = io.submit(() -> stderr.drain(process.getErrorStream()));
        } catch (RejectedExecutionException e) {
            // the shared threads are gone: the agent is closing under this call
            stop(process);
            return WorkerOutcome.error("app exec error : agent is shutting down", millisSince(start));
        }
        try {
            WorkerOutcome ended = waitForExit(worker, call, start, null, null);
            if (ended != null) {
                return ended;
            }
            if (!drained(out, stdout) || !drained(err, stderr)) {
                LOG.warn("worker of app [{}] func [{}] exited but a process it left behind still holds its output open;"
                        + " using the output read so far", call.app(), call.func());
            }
            return WorkerOutput.interpret(stdout.captured(), process.exitValue(), stderr.text(), millisSince(start));
        } catch (InterruptedException e) {
            return interrupted(process, start);
        }
    }

    private WorkerOutcome awaitSpool(Worker worker, Spool spool, WorkerCall call, long start, TaskOutput output) {
        try (SpoolTail tail = output == null ? null : new SpoolTail(spool, output, live.maxPendingBytes())) {
            WorkerOutcome ended = waitForExit(worker, call, start, spool, tail);
            if (tail != null) {
                tail.pump(); // what it wrote last
            }
            if (ended != null) {
                return ended;
            }
            return WorkerOutput.interpret(spool.stdout(outputMaxBytes), worker.process.exitValue(),
                    spool.stderr(STDERR_KEPT).text(), millisSince(start));
        } catch (IOException e) {
            return WorkerOutcome.error("app exec error : output of the worker not readable: " + e.getMessage(),
                    millisSince(start));
        } catch (InterruptedException e) {
            return interrupted(worker.process, start);
        }
    }

    /** The agent's threads are being shut down: the worker dies with it, unless it was abandoned. */
    private WorkerOutcome interrupted(Process process, long start) {
        Thread.currentThread().interrupt();
        if (abandoned) {
            return WorkerOutcome.error(ABANDONED, millisSince(start));
        }
        stop(process);
        return WorkerOutcome.error("app exec error : interrupted (agent shutting down)", millisSince(start));
    }

    /**
     * Waits for the worker to exit, in slices, so a deadline, a runaway spool and an abandoning
     * agent are all noticed, and a spool's new output is streamed ({@code tail}, null for none).
     *
     * @return null once it exited by itself; otherwise the outcome of why it was given up
     */
    private WorkerOutcome waitForExit(Worker worker, WorkerCall call, long start, Spool spool, SpoolTail tail)
            throws InterruptedException {
        try {
            return awaitExit(worker, call, start, spool, tail);
        } finally {
            worker.ended();
        }
    }

    private WorkerOutcome awaitExit(Worker worker, WorkerCall call, long start, Spool spool, SpoolTail tail)
            throws InterruptedException {
        Process process = worker.process;
        long deadline = call.timeoutSeconds() > 0 ? start + TimeUnit.SECONDS.toNanos(call.timeoutSeconds()) : Long.MAX_VALUE;
        long spoolLimit = (long) SPOOL_LIMIT_FACTOR * outputMaxBytes;
        while (!process.waitFor(Math.min(CHECK_NANOS, remaining(deadline)), TimeUnit.NANOSECONDS)) {
            if (tail != null) {
                tail.pump();
            }
            if (abandoned) {
                // the worker runs on for an agent that adopts it; this one reports nothing
                return WorkerOutcome.error(ABANDONED, millisSince(start));
            }
            if (remaining(deadline) == 0) {
                stop(process);
                return WorkerOutcome.error(worker.cancelled ? CANCELLED : "app exec timeout", millisSince(start));
            }
            if (spool != null && spool.bytes() > spoolLimit) {
                stop(process);
                return WorkerOutcome.error(tooMuchOutput(spoolLimit), millisSince(start));
            }
        }
        if (worker.cancelled) {
            // killed by cancel(): its output, if any, is not an answer
            return WorkerOutcome.error(CANCELLED, millisSince(start));
        }
        return null;
    }

    /** The result of a spooled worker killed for writing more than {@code limit} bytes. */
    static String tooMuchOutput(long limit) {
        return "app output too large : the worker wrote more than " + limit + " bytes (" + SPOOL_LIMIT_FACTOR
                + " x worker.outputmax) and was killed";
    }

    /**
     * Waits for a pipe of an exited worker to reach its end. On a loaded machine the reader thread
     * may start late, and that is waited for; so may the reading of the last bytes after the exit
     * (forty workers ending at once on two cores: their readers are behind, not stalled). A reader
     * that got nothing for {@link #PIPE_STALL_NANOS} since the exit (or its last bytes after it)
     * is blocked on a pipe that an orphan of the worker holds open.
     */
    static boolean drained(Future<?> drain, CappedOutput output) throws InterruptedException {
        long exited = System.nanoTime();
        long giveUpUnstarted = exited + READER_START_NANOS;
        while (true) {
            try {
                drain.get(POLL_NANOS, TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException e) {
                boolean stalled = output.started() ? output.idleNanosSince(exited) > PIPE_STALL_NANOS
                        : System.nanoTime() > giveUpUnstarted;
                if (stalled) {
                    return false;
                }
            } catch (ExecutionException e) {
                return true;
            }
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** How many workers are running now. */
    public int runningCount() {
        return running.size();
    }

    /** Kills every running worker (with its children); later calls are refused. */
    @Override
    public void close() {
        closed = true;
        for (Process p : running) {
            stop(p);
        }
    }

    /**
     * Stops waiting for the running workers and leaves them running, as the agent's death does:
     * each {@link #run} returns {@value #ABANDONED} at once, for a caller that no longer records
     * anything (the next agent on the same state dir adopts the workers). Later calls are refused.
     */
    public void abandon() {
        closed = true;
        abandoned = true;
    }

    /** A running worker; {@code cancelled} once {@link #cancel} killed it. */
    private static final class Worker {
        final Process process;
        volatile boolean cancelled;
        /** When it exited or was given up, ms since the epoch; 0 while it was not waited for. */
        private volatile long endedAt;

        Worker(Process process) {
            this.process = process;
        }

        void ended() {
            endedAt = System.currentTimeMillis();
        }

        /** When it ended; now for one given up before it was waited for (the agent closing under it). */
        long endedAt() {
            long at = endedAt;
            return at == 0 ? System.currentTimeMillis() : at;
        }
    }
}
