package org.elves.agent;

import org.elves.agent.config.AgentSettings;
import org.elves.agent.cron.AgentCrons;
import org.elves.agent.appsync.AppDistributor;
import org.elves.agent.heartbeat.HeartbeatClient;
import org.elves.agent.output.LiveOutput;
import org.elves.agent.report.ResultOutbox;
import org.elves.agent.report.SchedulerOutputSender;
import org.elves.agent.report.SchedulerSender;
import org.elves.agent.runner.AdoptedWorkers;
import org.elves.agent.runner.AppRunner;
import org.elves.agent.runner.InstalledApps;
import org.elves.agent.runner.LaunchMechanism;
import org.elves.agent.state.PrivateFiles;
import org.elves.agent.task.InstructExecutor;
import org.elves.agent.task.RestartRecovery;
import org.elves.agent.task.TaskLedger;
import org.elves.agent.task.TaskMemory;
import org.elves.agent.thrift.AgentHandler;
import org.elves.agent.thrift.AgentServer;
import org.elves.agent.thrift.PeerAllowList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One running agent: the Thrift server, the worker runner, the task memory, the heartbeat, the
 * agent-side crons, and the outbox of results. What must survive a restart is in the state dir
 * (private to the agent's user): the task journal, the spooled output of async workers, the outbox,
 * the crons; a start picks up what the last run left (see {@link RestartRecovery}).
 * <pre>
 *   try (ElvesAgent agent = ElvesAgent.start(settings)) { ... agent.port() ... }
 * </pre>
 */
public final class ElvesAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ElvesAgent.class);
    /** In the state dir: async results waiting for the scheduler. */
    static final String OUTBOX_DIR = "outbox";
    /** In the state dir: the output of async workers, until their result is journaled. */
    static final String SPOOL_DIR = "spool";
    /** How long a close waits for the results of the workers it killed. */
    private static final long CLOSE_WAIT_MILLIS = 5000;

    private final AgentSettings settings;
    private final AgentRuntime runtime;
    private final boolean ownsRuntime;
    private final AppRunner runner;
    /** Null when output is not streamed ({@code output.flush-ms} 0). */
    private final LiveOutput live;
    private final AdoptedWorkers adopted;
    private final TaskLedger ledger;
    private final InstructExecutor executor;
    private final ResultOutbox outbox;
    private final AgentCrons crons;
    private final AgentServer server;
    private final HeartbeatClient heartbeat;
    private final AppDistributor distributor;
    private final long startTime = System.currentTimeMillis();
    private boolean closed;

    /**
     * Starts an agent with threads of its own; returns once its port accepts connections.
     *
     * @throws IOException              when the address cannot be bound
     * @throws IllegalArgumentException when authips holds something that is not an IP address
     */
    public static ElvesAgent start(AgentSettings settings) throws IOException {
        LaunchMechanism.preferFast();
        AgentRuntime runtime = new AgentRuntime(settings.asyncWorkers(), settings.asyncQueue());
        try {
            return new ElvesAgent(settings, runtime, true);
        } catch (IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** An agent of a fleet: shares the fleet's threads and connections. */
    static ElvesAgent start(AgentSettings settings, AgentRuntime shared) throws IOException {
        return new ElvesAgent(settings, shared, false);
    }

    private ElvesAgent(AgentSettings settings, AgentRuntime runtime, boolean ownsRuntime) throws IOException {
        this.settings = settings;
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        PeerAllowList allowList = PeerAllowList.of(settings.authips());
        distributor = runtime.distributor(settings);
        InstalledApps apps = new InstalledApps(settings.appsDir(), settings.apps(), distributor.gate());
        Path stateDir = settings.stateDir();
        try {
            PrivateFiles.restrictDirectory(stateDir);
        } catch (IOException e) {
            LOG.error("agent {}: state dir {} not usable ({}); task ids and results are not kept across restarts",
                    settings.ip(), stateDir.toAbsolutePath(), e.toString());
        }
        live = settings.outputFlushMillis() == 0 ? null : new LiveOutput(settings.outputFlushMillis(),
                settings.outputMaxPendingBytes(), new SchedulerOutputSender(settings.schedulers(),
                settings.schedulerTimeoutSeconds() * 1000, runtime.clients()));
        runner = new AppRunner(settings.ip(), apps, settings.python(), settings.outputMaxBytes(), runtime.io(), live);
        outbox = new ResultOutbox(settings.ip(), stateDir.resolve(OUTBOX_DIR), settings.outboxMax(),
                new SchedulerSender(settings.schedulers(), settings.schedulerTimeoutSeconds() * 1000, runtime.clients()),
                runtime.io(), runtime.retryTimer());
        // where agents before the journal kept the agent-side cron results
        outbox.importFrom(stateDir.resolve("cron-results"));
        ledger = TaskLedger.open(settings.ip(), stateDir.resolve(TaskLedger.FILE),
                new TaskMemory(settings.dedupeSize(), settings.dedupeTtlSeconds() * 1000L, settings.dedupeResultChars()));
        // polled on the retry timer, whose tasks never block; reported from the I/O pool
        adopted = new AdoptedWorkers(settings.outputMaxBytes(), runtime.retryTimer(), runtime.io());
        Path spoolDir = stateDir.resolve(SPOOL_DIR);
        executor = new InstructExecutor(runner, adopted, ledger, spoolDir, runtime.asyncPool(), outbox);
        if (settings.agentCronEnabled()) {
            crons = new AgentCrons(settings.ip(), stateDir.resolve("crons.json"), settings.cronMisfire(),
                    Clock.systemUTC(), runtime.cronTimer(), executor::runAgentTask);
        } else {
            crons = null;
        }
        // results a previous run left undelivered go out first; its tasks are settled before the
        // server takes a re-sent id, which must find its task running or finished
        outbox.start();
        new RestartRecovery(settings.ip(), ledger, executor, adopted, spoolDir, settings.outputMaxBytes()).run();
        AgentServer started;
        try {
            started = new AgentServer(settings.ip(), settings.bind(), settings.port(), allowList, settings.framed(),
                    settings.maxConnections(), settings.idleTimeoutSeconds() * 1000,
                    new AgentHandler(executor, crons, settings.ip()));
        } catch (IOException | RuntimeException e) {
            // as a crash would: the next start finds the adopted workers again
            ledger.halt();
            adopted.abandon();
            runner.close();
            closeLive();
            outbox.close();
            ledger.close();
            throw e;
        }
        server = started;
        if (crons != null) {
            crons.start();
        }
        if (allowList.allowsEveryone()) {
            LOG.warn("agent {}: authips contains \"*\": every host that reaches {}:{} may run apps here",
                    settings.ip(), settings.bind(), server.port());
        }
        if (settings.heartbeatEnabled()) {
            // the beat reports the port actually bound (settings may say 0 = any free port)
            heartbeat = new HeartbeatClient(settings.toBuilder().port(server.port()).build(), apps, AgentVersion.get(),
                    startTime, crons == null ? null : crons::syncFromHeartbeat, distributor::onAnswer,
                    distributor::statusJson);
            heartbeat.start(runtime.timer());
        } else {
            heartbeat = null;
        }
        if (!Files.isDirectory(settings.appsDir())) {
            LOG.warn("agent {}: apps directory {} does not exist; every call will answer \"not install\"",
                    settings.ip(), settings.appsDir().toAbsolutePath());
        }
        LOG.info("agent {} (asset {}) listening on {}:{}, apps in {}, heartbeat {}, agent-side crons {}", settings.ip(),
                settings.asset(), settings.bind(), server.port(), settings.appsDir().toAbsolutePath(),
                heartbeat == null ? "off" : "to " + settings.heartbeats(),
                crons == null ? "off" : "on (state in " + settings.stateDir().toAbsolutePath() + ")");
    }

    /** The port the Thrift server listens on (the bound one when settings asked for 0). */
    public int port() {
        return server.port();
    }

    /** The agent's identity as the center knows it. */
    public String ip() {
        return settings.ip();
    }

    public AgentSettings settings() {
        return settings;
    }

    public long startTime() {
        return startTime;
    }

    /** The apps the center asked for in its last heartbeat reply (empty before one). */
    public Map<String, String> wantedApps() {
        return heartbeat == null ? Map.of() : heartbeat.wantedApps();
    }

    /**
     * How the apps the center distributes fared, as reported in {@code AgentInfo.appStatus}:
     * {@code {"app":{"version":"1.2","state":"installed|downloading|failed","error":"..."}}}.
     */
    public String appStatus() {
        return distributor.statusJson();
    }

    /** The version of the agent-side cron list held ("" before any; null when agent-side crons are off). */
    public String cronVersion() {
        return crons == null ? null : crons.version();
    }

    /** The ids of the agent-side crons held (empty when off). */
    public List<String> cronIds() {
        return crons == null ? List.of() : crons.ids();
    }

    /** Async results (of center tasks and agent-side crons) waiting in the outbox for the scheduler. */
    public int pendingResults() {
        return outbox.pendingCount();
    }

    /** As {@link #pendingResults()}: its name from when the outbox held agent-side cron results only. */
    public int pendingCronResults() {
        return pendingResults();
    }

    /** Workers of an earlier run of the agent that this one adopted and still watches. */
    public int adoptedWorkers() {
        return adopted.count();
    }

    /**
     * Stops the crons, the server and the heartbeat and kills running workers (their results
     * report -1 and go to the outbox, kept for the next start if the scheduler cannot take them).
     */
    @Override
    public synchronized void close() {
        stop(true);
    }

    /**
     * Stops the agent as its death would, but without the crash: workers keep running and this
     * instance records and sends nothing more (undelivered results stay in the outbox), so the next
     * agent on the same state dir adopts the workers and reports their real results. What a service
     * restart wants ({@code elves agent} does this on SIGTERM); tests use it to stand for a crash.
     */
    public synchronized void closeLeavingWorkers() {
        stop(false);
    }

    private void closeLive() {
        if (live != null) {
            live.close();
        }
    }

    private void stop(boolean killWorkers) {
        if (closed) {
            return;
        }
        closed = true;
        if (crons != null) {
            crons.close();
        }
        if (!killWorkers) {
            // first: nothing that happens from here on may reach the journal or the scheduler
            ledger.halt();
            runner.abandon();
            adopted.abandon();
        }
        server.close();
        if (heartbeat != null) {
            heartbeat.close();
        }
        if (killWorkers) {
            runner.close();
            adopted.close();
            // the killed workers' results are journaled and handed on before the journal closes
            if (!executor.awaitIdle(CLOSE_WAIT_MILLIS)) {
                LOG.warn("agent {}: results of killed workers still pending at close; the next start reports them",
                        settings.ip());
            }
        }
        closeLive();
        outbox.close();
        if (ownsRuntime) {
            runtime.close();
        }
        ledger.close();
        LOG.info("agent {} stopped{}", settings.ip(), killWorkers ? "" : ", its workers left running for the next start");
    }
}
