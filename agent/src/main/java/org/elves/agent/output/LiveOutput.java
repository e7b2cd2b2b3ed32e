package org.elves.agent.output;

import org.apache.thrift.TException;
import org.elves.agent.DaemonThreads;
import org.elves.protocol.thrift.OutputChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Streams the output of an agent's running workers to the scheduler while they run: one sender
 * thread takes what the tasks' {@link TaskOutput}s hold every {@code flushMillis} (sooner when one
 * holds {@value TaskOutput#EAGER_BYTES} bytes) and sends it in one call. The worker's readers only
 * copy bytes into memory, so a slow or absent scheduler costs dropped output, never a slower
 * worker. The thread runs while tasks do, and ends after a quiet while (a fleet of idle agents
 * keeps none).
 */
public final class LiveOutput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveOutput.class);
    /** The sender thread ends after this long without tasks. */
    private static final long IDLE_EXIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final ThreadFactory THREADS = DaemonThreads.named("elves-agent-output");

    /** Hands chunks to the scheduler, e.g. {@code SchedulerService.outputTransport}. */
    public interface Sender {
        /** @throws TException when no scheduler took them (they are counted as dropped) */
        void send(List<OutputChunk> chunks) throws TException;

        /** False once no scheduler takes output (all answered UNKNOWN_METHOD): streaming stops. */
        boolean accepting();
    }

    private final int flushMillis;
    private final int maxPendingBytes;
    private final Sender sender;
    private final Semaphore wake = new Semaphore(0);
    private final Set<TaskOutput> active = new LinkedHashSet<>();
    private Thread thread;
    private long idleSince;
    private boolean closed;

    /**
     * @param flushMillis     how often pending output is sent (at least 1)
     * @param maxPendingBytes output kept per task while it waits to be sent
     */
    public LiveOutput(int flushMillis, int maxPendingBytes, Sender sender) {
        this.flushMillis = flushMillis;
        this.maxPendingBytes = maxPendingBytes;
        this.sender = sender;
    }

    /** Output kept per task while it waits to be sent. */
    public int maxPendingBytes() {
        return maxPendingBytes;
    }

    /** Starts streaming one task's output; null when nothing is streamed (closed, no scheduler takes it). */
    public synchronized TaskOutput open(String taskId, SecretMasker masker) {
        if (closed || !sender.accepting()) {
            return null;
        }
        TaskOutput task = new TaskOutput(taskId, masker, maxPendingBytes, wake::release);
        active.add(task);
        if (thread == null) {
            thread = THREADS.newThread(this::run);
            thread.start();
        }
        return task;
    }

    /**
     * The task's worker ended: what is left of its output goes out in the sender's next round, at
     * once. The result does not wait for it (a round trip to the scheduler on every task's path);
     * followers of the output read on a little after the task's end for such last chunks.
     */
    public void finish(TaskOutput task) {
        if (task == null) {
            return;
        }
        task.end();
        wake.release();
    }

    private void run() {
        while (true) {
            try {
                if (wake.tryAcquire(flushMillis, TimeUnit.MILLISECONDS)) {
                    wake.drainPermits(); // one round serves every wake-up that came meanwhile
                }
            } catch (InterruptedException e) {
                synchronized (this) {
                    thread = null; // the next open starts another
                }
                return;
            }
            List<TaskOutput> tasks;
            synchronized (this) {
                if (closed || (active.isEmpty() && quietLongEnough())) {
                    thread = null;
                    active.clear();
                    return;
                }
                tasks = new ArrayList<>(active);
            }
            sendRound(tasks);
        }
    }

    /** Holding the lock: whether the thread has had no task for {@link #IDLE_EXIT_NANOS}. */
    private boolean quietLongEnough() {
        long now = System.nanoTime();
        if (idleSince == 0) {
            idleSince = now;
        }
        return now - idleSince > IDLE_EXIT_NANOS;
    }

    /** One call with every task's pending chunks; tasks that ended leave the round done. */
    private void sendRound(List<TaskOutput> tasks) {
        Map<TaskOutput, List<OutputChunk>> byTask = new LinkedHashMap<>();
        List<TaskOutput> done = new ArrayList<>();
        for (TaskOutput task : tasks) {
            // read before take(): a task that ends in between is sent once more next round
            boolean ended = task.ended();
            if (ended || task.hasPending()) {
                List<OutputChunk> chunks = task.take();
                if (!chunks.isEmpty()) {
                    byTask.put(task, chunks);
                }
            }
            if (ended) {
                done.add(task);
            }
        }
        List<OutputChunk> all = new ArrayList<>();
        byTask.values().forEach(all::addAll);
        if (!all.isEmpty() && sender.accepting()) {
            try {
                sender.send(all);
            } catch (TException | RuntimeException e) {
                // chunk contents are never logged: they may hold what the masker did not know
                LOG.debug("{} output chunk(s) of {} task(s) not streamed: {}", all.size(), byTask.size(), e.toString());
                byTask.forEach(TaskOutput::lost);
            }
        }
        synchronized (this) {
            done.forEach(active::remove);
            if (!active.isEmpty()) {
                idleSince = 0;
            }
        }
    }

    /** Stops streaming; output not sent yet is left unsent. */
    @Override
    public synchronized void close() {
        closed = true;
        wake.release();
    }
}
