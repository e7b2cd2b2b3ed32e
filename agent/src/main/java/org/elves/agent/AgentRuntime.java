package org.elves.agent;

import org.elves.agent.config.AgentSettings;
import org.elves.agent.appsync.AppDistributor;
import org.elves.agent.runner.AppGate;
import org.elves.agent.thrift.ClientPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** One app installer per apps dir: the agents of a fleet share the apps dir. */
    private final Map<Path, AppDistributor> distributors = new ConcurrentHashMap<>();

    AgentRuntime(int asyncWorkers, int asyncQueue) {
        // pipe readers: two per running worker, so no fixed bound that could starve a worker
        io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.named("elves-worker-io"));
        async = new ThreadPoolExecutor(asyncWorkers, asyncWorkers, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(asyncQueue), DaemonThreads.named("elves-agent-async"));
        async.allowCoreThreadTimeOut(true);
        timer = scheduled("elves-agent-heartbeat", 2);
        // outbox retries and polls of adopted workers: short tasks that never block
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

    /**
     * The app installer of the settings' apps dir, made (and started: leftovers cleared, apps.json
     * loaded from the settings' state dir) by the first agent that asks.
     */
    AppDistributor distributor(AgentSettings settings) {
        Path dir = settings.appsDir().toAbsolutePath().normalize();
        return distributors.computeIfAbsent(dir, d -> {
            AppDistributor dist = new AppDistributor("agent " + settings.ip(), d, settings.stateDir(),
                    settings.apps(), new AppGate(), settings.maxPackageBytes(),
                    Duration.ofSeconds(settings.downloadTimeoutSeconds()), io);
            dist.start();
            return dist;
        });
    }

    @Override
    public void close() {
        distributors.values().forEach(AppDistributor::close);
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
