package org.elves.agent.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs app workers as child processes (reference §8.5). Standard output and error are drained
 * by threads of a shared pool, so the calling thread only waits, with a deadline, and can always
 * give up: a worker that leaves a background process holding its stdout open cannot hang a call.
 */
public final class AppRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppRunner.class);
    private static final File NO_INPUT = new File("/dev/null");
    /** stderr is only quoted in error texts; more than this is read and dropped. */
    private static final int STDERR_KEPT = 4096;
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

    private final InstalledApps apps;
    private final EntryResolver entries;
    private final String agentIp;
    private final ExecutorService io;
    private final int outputMaxBytes;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    /** Workers that can be cancelled, by the key (task id) they were run under. */
    private final Map<String, Worker> byKey = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param agentIp        the agent's ip, given to workers as {@value #AGENT_IP_ENV}
     * @param apps           where apps are installed
     * @param python         interpreter for app-worker.py
     * @param outputMaxBytes stdout kept per call
     * @param io             pool that drains the children's pipes (two tasks per call); shared
     */
    public AppRunner(String agentIp, InstalledApps apps, String python, int outputMaxBytes, ExecutorService io) {
        this.agentIp = agentIp;
        this.apps = apps;
        this.entries = new EntryResolver(apps, python);
        this.outputMaxBytes = outputMaxBytes;
        this.io = io;
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
        AppGate gate = apps.gate();
        // counted from before its entry is resolved to its exit: the installer deletes an old
        // version's files only when no worker of the app runs
        gate.enter(call.app());
        try {
            return start(call, key, gate);
        } finally {
            gate.exit(call.app());
        }
    }

    private WorkerOutcome start(WorkerCall call, String key, AppGate gate) {
        long start = System.nanoTime();
        Process process;
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
            start = System.nanoTime();
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(dir == null ? null : dir.toFile())
                        .redirectInput(NO_INPUT);
                builder.environment().put(AGENT_IP_ENV, agentIp);
                process = builder.start();
            } catch (IOException e) {
                return WorkerOutcome.error("app exec error : " + e.getMessage(), millisSince(start));
            }
        } finally {
            gate.startLock().unlock();
        }
        Worker worker = new Worker(process);
        boolean keyed = key != null && !key.isEmpty() && byKey.putIfAbsent(key, worker) == null;
        running.add(process);
        try {
            return await(call, worker, start);
        } finally {
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

    private WorkerOutcome await(WorkerCall call, Worker worker, long start) {
        Process process = worker.process;
        CappedOutput stdout = new CappedOutput(outputMaxBytes);
        CappedOutput stderr = new CappedOutput(STDERR_KEPT);
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
        long deadline = call.timeoutSeconds() > 0 ? start + TimeUnit.SECONDS.toNanos(call.timeoutSeconds()) : Long.MAX_VALUE;
        try {
            if (deadline == Long.MAX_VALUE) {
                process.waitFor();
            } else if (!process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
                stop(process);
                return WorkerOutcome.error(worker.cancelled ? CANCELLED : "app exec timeout", millisSince(start));
            }
            if (worker.cancelled) {
                // killed by cancel(): its output, if any, is not an answer
                return WorkerOutcome.error(CANCELLED, millisSince(start));
            }
            if (!drained(out, stdout) || !drained(err, stderr)) {
                LOG.warn("worker of app [{}] func [{}] exited but a process it left behind still holds its output open;"
                        + " using the output read so far", call.app(), call.func());
            }
            return WorkerOutput.interpret(stdout, process.exitValue(), stderr.text(), millisSince(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            return WorkerOutcome.error("app exec error : interrupted (agent shutting down)", millisSince(start));
        }
    }

    /**
     * Waits for a pipe of an exited worker to reach its end. On a loaded machine the reader thread
     * may start late, and that is waited for; a reader that started and then got nothing for
     * {@link #PIPE_STALL_NANOS} is blocked on a pipe that an orphan of the worker holds open.
     */
    private static boolean drained(Future<?> drain, CappedOutput output) throws InterruptedException {
        long giveUpUnstarted = System.nanoTime() + READER_START_NANOS;
        while (true) {
            try {
                drain.get(POLL_NANOS, TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException e) {
                boolean stalled = output.started() ? output.idleNanos() > PIPE_STALL_NANOS
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

    /** A running worker; {@code cancelled} once {@link #cancel} killed it. */
    private static final class Worker {
        final Process process;
        volatile boolean cancelled;

        Worker(Process process) {
            this.process = process;
        }
    }
}
