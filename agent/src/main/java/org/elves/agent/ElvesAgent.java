package org.elves.agent;

import org.elves.agent.config.AgentSettings;
import org.elves.agent.cron.AgentCrons;
import org.elves.agent.cron.CronOutbox;
import org.elves.agent.dist.AppDistributor;
import org.elves.agent.heartbeat.HeartbeatClient;
import org.elves.agent.report.ResultDelivery;
import org.elves.agent.report.SchedulerReporter;
import org.elves.agent.runner.AppRunner;
import org.elves.agent.runner.InstalledApps;
import org.elves.agent.runner.LaunchMechanism;
import org.elves.agent.task.InstructExecutor;
import org.elves.agent.task.TaskMemory;
import org.elves.agent.thrift.AgentHandler;
import org.elves.agent.thrift.AgentServer;
import org.elves.agent.thrift.PeerAllowList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One running agent: the Thrift server, the worker runner, the task memory, the heartbeat and the
 * agent-side crons with their outbox of results (kept in the state dir).
 * <pre>
 *   try (ElvesAgent agent = ElvesAgent.start(settings)) { ... agent.port() ... }
 * </pre>
 */
public final class ElvesAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ElvesAgent.class);

    private final AgentSettings settings;
    private final AgentRuntime runtime;
    private final boolean ownsRuntime;
    private final AppRunner runner;
    private final SchedulerReporter reporter;
    private final CronOutbox outbox;
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
        runner = new AppRunner(settings.ip(), apps, settings.python(), settings.outputMaxBytes(), runtime.io());
        reporter = new SchedulerReporter(settings.schedulers(), settings.schedulerTimeoutSeconds() * 1000,
                settings.schedulerRetries(), runtime.clients(), runtime.retryTimer());
        outbox = new CronOutbox(settings.ip(), settings.stateDir().resolve("cron-results"), settings.cronOutboxMax(),
                reporter::deliverOnce, runtime.io(), runtime.retryTimer());
        ResultDelivery delivery = new ResultDelivery(reporter, outbox);
        InstructExecutor executor = new InstructExecutor(runner,
                new TaskMemory(settings.dedupeSize(), settings.dedupeTtlSeconds() * 1000L, settings.dedupeResultChars()),
                runtime.asyncPool(), delivery);
        if (settings.agentCronEnabled()) {
            crons = new AgentCrons(settings.ip(), settings.stateDir().resolve("crons.json"), settings.cronMisfire(),
                    Clock.systemUTC(), runtime.cronTimer(), ins -> executor.runAgentTask(ins, delivery::agentTaskFinished));
        } else {
            crons = null;
        }
        AgentServer started;
        try {
            started = new AgentServer(settings.ip(), settings.bind(), settings.port(), allowList, settings.framed(),
                    settings.maxConnections(), settings.idleTimeoutSeconds() * 1000,
                    new AgentHandler(executor, crons, settings.ip()));
        } catch (IOException | RuntimeException e) {
            runner.close();
            reporter.close();
            throw e;
        }
        server = started;
        // results a previous run left undelivered go out first, then the kept crons resume
        outbox.start();
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
                heartbeat == null ? "off" : "to " + settings.heartbeat(),
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

    /** Agent-side cron results not yet taken by the scheduler. */
    public int pendingCronResults() {
        return outbox.pendingCount();
    }

    /**
     * Stops the crons, the server and the heartbeat and kills running workers (their results
     * report -1; those of cron runs stay in the outbox for the next start).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (crons != null) {
            crons.close();
        }
        server.close();
        if (heartbeat != null) {
            heartbeat.close();
        }
        runner.close();
        reporter.close();
        outbox.close();
        if (ownsRuntime) {
            runtime.close();
        }
        LOG.info("agent {} stopped", settings.ip());
    }
}
