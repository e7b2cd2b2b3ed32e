package org.elves.agent.report;

import org.apache.thrift.TException;
import org.elves.agent.config.Endpoint;
import org.elves.agent.thrift.ClientPool;
import org.elves.protocol.thrift.Reinstruct;
import org.elves.protocol.thrift.SchedulerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends async results to the scheduler with {@code SchedulerService.dataTransport}. Each attempt
 * tries every configured scheduler in order; failed attempts are retried with growing pauses, and
 * a result that still cannot be delivered is logged as an error, never dropped silently. The
 * original agent tried once (reference G34).
 */
public final class SchedulerReporter {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerReporter.class);
    private static final long FIRST_PAUSE_MILLIS = 500;
    private static final long MAX_PAUSE_MILLIS = 10_000;

    private final List<Endpoint> schedulers;
    private final int timeoutMillis;
    private final int retries;
    private final ClientPool pool;
    private final ScheduledExecutorService retryTimer;
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Identity matters, not content: the same result may legitimately be reported twice. */
    private static final class Pending {
        private final Reinstruct reins;
        private final int attempts;
        private final TException last;

        Pending(Reinstruct reins, int attempts, TException last) {
            this.reins = reins;
            this.attempts = attempts;
            this.last = last;
        }

        Reinstruct reins() {
            return reins;
        }

        int attempts() {
            return attempts;
        }

        TException last() {
            return last;
        }
    }

    /**
     * @param retries    attempts after the first
     * @param retryTimer runs the retries (their blocking calls stay off the async worker threads)
     */
    public SchedulerReporter(List<Endpoint> schedulers, int timeoutMillis, int retries, ClientPool pool,
                             ScheduledExecutorService retryTimer) {
        this.schedulers = List.copyOf(schedulers);
        this.timeoutMillis = timeoutMillis;
        this.retries = retries;
        this.pool = pool;
        this.retryTimer = retryTimer;
    }

    /** Makes the first attempt in the calling thread; retries, if needed, run later. */
    public void report(Reinstruct reins) {
        attempt(reins, 0);
    }

    /**
     * One attempt, no retry: every scheduler in order until one takes the result.
     *
     * @return the scheduler that took it
     * @throws TException the last scheduler's failure when none did
     */
    public Endpoint deliverOnce(Reinstruct reins) throws TException {
        TException last = null;
        for (Endpoint scheduler : schedulers) {
            try {
                pool.call(scheduler, timeoutMillis, p -> new SchedulerService.Client(p).dataTransport(reins));
                return scheduler;
            } catch (TException e) {
                last = e;
            }
        }
        throw last;
    }

    private void attempt(Reinstruct reins, int attempt) {
        TException last;
        try {
            Endpoint scheduler = deliverOnce(reins);
            if (attempt > 0) {
                LOG.info("task {}: result delivered to {} on attempt {}", id(reins), scheduler, attempt + 1);
            }
            return;
        } catch (TException e) {
            last = e;
        }
        if (attempt >= retries || closed) {
            giveUp(reins, attempt + 1, last);
            return;
        }
        long pause = Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << attempt);
        pause += ThreadLocalRandom.current().nextLong(pause / 4 + 1);
        LOG.debug("task {}: result not delivered ({}), retrying in {} ms", id(reins), last, pause);
        Pending retry = new Pending(reins, attempt + 1, last);
        pending.add(retry);
        try {
            retryTimer.schedule(() -> {
                if (pending.remove(retry)) {
                    attempt(reins, attempt + 1);
                }
            }, pause, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            if (pending.remove(retry)) {
                giveUp(reins, attempt + 1, last);
            }
        }
    }

    private void giveUp(Reinstruct reins, int attempts, TException last) {
        // never the param or result: they may carry secrets
        LOG.error("task {} (app {} func {} flag {}): result NOT delivered to scheduler {} after {} attempt(s): {}",
                id(reins), reins.getIns() == null ? null : reins.getIns().getApp(),
                reins.getIns() == null ? null : reins.getIns().getFunc(), reins.getFlag(), schedulers, attempts,
                last == null ? "agent closing" : last.toString());
    }

    private static String id(Reinstruct reins) {
        return reins.getIns() == null ? null : reins.getIns().getId();
    }

    /** How many results wait for a retry. */
    public int pendingCount() {
        return pending.size();
    }

    /** Results still waiting for a retry are given up, each logged as an error. */
    public void close() {
        closed = true;
        for (Pending p : pending) {
            if (pending.remove(p)) {
                giveUp(p.reins(), p.attempts(), p.last());
            }
        }
    }
}
