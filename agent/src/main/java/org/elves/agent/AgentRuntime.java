package org.elves.agent;

import org.elves.agent.thrift.ClientPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Threads and connections shared by the agents of one JVM (one agent, or a whole emulated fleet):
 * idle threads die after a while, so a hundred quiet agents cost little more than one.
 */
final class AgentRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);
    private static final long IDLE_THREAD_SECONDS = 30;

    private final ThreadPoolExecutor io;
    private final ThreadPoolExecutor async;
    private final ScheduledThreadPoolExecutor timer;
    private final ScheduledThreadPoolExecutor retryTimer;
    private final ScheduledThreadPoolExecutor cronTimer;
    private final ClientPool clients = new ClientPool();

    AgentRuntime(int asyncWorkers, int asyncQueue) {
        // pipe readers: two per running worker, so no fixed bound that could starve a worker
        io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.named("elves-worker-io"));
        async = new ThreadPoolExecutor(asyncWorkers, asyncWorkers, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(asyncQueue), DaemonThreads.named("elves-agent-async"));
        async.allowCoreThreadTimeOut(true);
        timer = scheduled("elves-agent-heartbeat", 2);
        retryTimer = scheduled("elves-agent-retry", 1);
        // its own thread: heartbeats block on the network, cron fires must be on time
        cronTimer = scheduled("elves-agent-cron", 1);
    }

    private static ScheduledThreadPoolExecutor scheduled(String name, int threads) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(threads, DaemonThreads.named(name));
        s.setRemoveOnCancelPolicy(true);
        s.setKeepAliveTime(IDLE_THREAD_SECONDS, TimeUnit.SECONDS);
        s.allowCoreThreadTimeOut(true);
        return s;
    }

    ExecutorService io() {
        return io;
    }

    ExecutorService asyncPool() {
        return async;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ScheduledExecutorService retryTimer() {
        return retryTimer;
    }

    /** Fires the agent-side crons of every agent here; its tasks never block. */
    ScheduledExecutorService cronTimer() {
        return cronTimer;
    }

    ClientPool clients() {
        return clients;
    }

    @Override
    public void close() {
        List<Runnable> neverRun = async.shutdownNow();
        if (!neverRun.isEmpty()) {
            LOG.error("{} queued async instruct(s) were never run: the agent closed first", neverRun.size());
        }
        timer.shutdownNow();
        retryTimer.shutdownNow();
        cronTimer.shutdownNow();
        io.shutdownNow();
        clients.close();
    }
}
