package org.elves.agent.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Async workers an earlier run of the agent started and that outlived it: not this JVM's children,
 * so they are watched through /proc (their identity, {@link ProcessIdentity}, guards against a
 * reused pid) until they exit, then their result is read from their {@link Spool}. Their original
 * deadline still holds, a cancel still kills them, and so does a runaway spool, as for the agent's
 * own workers. Their exit code went to whoever reaped them, so the output tags decide alone.
 */
public final class AdoptedWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdoptedWorkers.class);
    private static final long POLL_MILLIS = 200;

    private final int outputMaxBytes;
    private final ScheduledExecutorService timer;
    private final Executor finisher;
    private final Map<String, Adopted> byId = new ConcurrentHashMap<>();
    private volatile boolean abandoned;

    /**
     * @param timer    polls the workers (its tasks only read /proc and stat files)
     * @param finisher reads the output and runs {@code done} (it writes the journal, sends results)
     */
    public AdoptedWorkers(int outputMaxBytes, ScheduledExecutorService timer, Executor finisher) {
        this.outputMaxBytes = outputMaxBytes;
        this.timer = timer;
        this.finisher = finisher;
    }

    private final class Adopted {
        final String id;
        final ProcessIdentity worker;
        final Spool spool;
        final long startedAtMillis;
        final long deadlineMillis;
        final Consumer<WorkerOutcome> done;
        volatile boolean cancelled;
        ScheduledFuture<?> poll;

        Adopted(String id, ProcessIdentity worker, Spool spool, long startedAtMillis, int timeoutSeconds,
                Consumer<WorkerOutcome> done) {
            this.id = id;
            this.worker = worker;
            this.spool = spool;
            this.startedAtMillis = startedAtMillis;
            this.deadlineMillis = timeoutSeconds > 0 ? startedAtMillis + TimeUnit.SECONDS.toMillis(timeoutSeconds)
                    : Long.MAX_VALUE;
            this.done = done;
        }

        void poll() {
            if (abandoned) {
                stopPolling();
                return;
            }
            WorkerOutcome outcome = null;
            boolean alive = worker.alive();
            long cost = System.currentTimeMillis() - startedAtMillis;
            if (cancelled) {
                kill();
                outcome = WorkerOutcome.error(AppRunner.CANCELLED, cost);
            } else if (alive && System.currentTimeMillis() >= deadlineMillis) {
                kill();
                outcome = WorkerOutcome.error("app exec timeout", cost);
            } else if (alive && spool.bytes() > (long) AppRunner.SPOOL_LIMIT_FACTOR * outputMaxBytes) {
                kill();
                outcome = WorkerOutcome.error(AppRunner.tooMuchOutput((long) AppRunner.SPOOL_LIMIT_FACTOR * outputMaxBytes), cost);
            } else if (alive) {
                return;
            }
            stopPolling();
            WorkerOutcome given = outcome;
            finish(() -> given != null ? given : fromSpool(cost));
        }

        private void kill() {
            worker.kill();
        }

        private WorkerOutcome fromSpool(long cost) {
            return spool.adoptedOutcome(outputMaxBytes, cost);
        }

        private void stopPolling() {
            byId.remove(id, this);
            if (poll != null) {
                poll.cancel(false);
            }
        }

        private void finish(java.util.function.Supplier<WorkerOutcome> outcome) {
            Runnable report = () -> done.accept(outcome.get());
            try {
                finisher.execute(report);
            } catch (RejectedExecutionException e) {
                // the agent is closing; the journal still says running, so the next start reports it
                LOG.warn("adopted task {}: result not reported, the agent is closing", id);
            }
        }
    }

    /**
     * Watches a worker left by an earlier run of the agent; once it exits (or its deadline passed,
     * or it is cancelled) {@code done} gets its outcome, from another thread.
     *
     * @param startedAtMillis when the task started (epoch ms): its timeout counts from there
     */
    public synchronized void adopt(String id, ProcessIdentity worker, Spool spool, long startedAtMillis, int timeoutSeconds,
                                   Consumer<WorkerOutcome> done) {
        Adopted a = new Adopted(id, worker, spool, startedAtMillis, timeoutSeconds, done);
        byId.put(id, a);
        try {
            a.poll = timer.scheduleWithFixedDelay(a::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            byId.remove(id, a);
        }
    }

    /** Kills the adopted worker of this task (with its tree); it then ends as {@value AppRunner#CANCELLED}. */
    public boolean cancel(String id) {
        Adopted a = id == null ? null : byId.get(id);
        if (a == null || !a.worker.alive()) {
            return false;
        }
        a.cancelled = true;
        a.kill();
        return true;
    }

    /** How many adopted workers are still watched. */
    public int count() {
        return byId.size();
    }

    /** Stops watching and leaves the workers running, as {@link AppRunner#abandon()}. */
    public void abandon() {
        abandoned = true;
    }

    /** Kills the adopted workers, as {@link AppRunner#close()} does with the agent's own. */
    @Override
    public void close() {
        for (Adopted a : byId.values()) {
            a.cancelled = true;
            a.kill();
        }
    }
}
