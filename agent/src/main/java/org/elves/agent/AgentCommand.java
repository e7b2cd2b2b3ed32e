package org.elves.agent;

import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.ConfigFile;
import org.elves.agent.config.Endpoint;
import org.elves.agent.config.IpRanges;
import org.elves.agent.cron.MisfirePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code agent}: runs an Elves agent (or an emulated fleet) until SIGTERM or Ctrl-C. Options
 * override the cfg.json given with --config; without either the defaults apply.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = AgentCommand.Version.class,
        description = "Run an Elves agent: serves AgentService (Thrift) and runs app workers.")
public final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "<cfg.json>", description = "agent config file (original cfg.json keys)")
    Path config;

    @Option(names = "--ip", description = "this agent's ip as the center knows it")
    String ip;

    @Option(names = "--bind", description = "address to listen on (default 0.0.0.0)")
    String bind;

    @Option(names = "--port", description = "Thrift port (default 11101)")
    Integer port;

    @Option(names = "--apps-dir", paramLabel = "<dir>", description = "installed apps (default ./apps)")
    Path appsDir;

    @Option(names = "--python", paramLabel = "<command>",
            description = "interpreter for app-worker.py, split on blanks (default python3)")
    String python;

    @Option(names = "--authips", split = ",", paramLabel = "<ip>",
            description = "callers allowed to connect, comma list; \"*\" allows everyone (default 127.0.0.1)")
    List<String> authips;

    @Option(names = "--heartbeat", split = ",", paramLabel = "<host:port>",
            description = "heartbeat servers: one is beaten, the next when it stops answering (default 127.0.0.1:11102)")
    List<String> heartbeats;

    @Option(names = "--no-heartbeat", description = "send no heartbeats")
    boolean noHeartbeat;

    @Option(names = "--scheduler", split = ",", paramLabel = "<host:port>",
            description = "where async results go, tried in order (default 127.0.0.1:10101)")
    List<String> schedulers;

    @Option(names = "--interval", paramLabel = "<seconds>", description = "heartbeat interval (default 10)")
    Integer interval;

    @Option(names = "--state-dir", paramLabel = "<dir>",
            description = "kept across restarts: agent-side crons and their undelivered results (default ./var;"
                    + " with --emulate each agent uses <dir>/<ip>)")
    Path stateDir;

    @Option(names = "--no-agent-cron", description = "run no agent-side crons (cronSync answers UNKNOWN_METHOD)")
    boolean noAgentCron;

    @Option(names = "--cron-misfire", paramLabel = "fire-once|skip",
            description = "agent-side cron times missed while the agent was down: one run for the latest (fire-once,"
                    + " default) or none (skip)")
    String cronMisfire;

    @Option(names = {"--outbox-max", "--cron-outbox-max"}, paramLabel = "<n>",
            description = "async results kept while the scheduler is unreachable (default 10000)")
    Integer outboxMax;

    @Option(names = "--max-package-bytes", paramLabel = "<bytes>",
            description = "largest app package downloaded from the center (default 268435456 = 256 MiB)")
    Long maxPackageBytes;

    @Option(names = "--download-timeout", paramLabel = "<seconds>",
            description = "an app package download not done after this long is given up (default 300)")
    Integer downloadTimeout;

    @Option(names = "--emulate", paramLabel = "<ips>",
            description = "run one emulated agent per address, e.g. 127.0.0.2-127.0.0.101 or a comma list")
    String emulate;

    /** The settings the options describe (config file first, then options). */
    public AgentSettings settings() {
        AgentSettings.Builder b = config == null ? AgentSettings.builder() : ConfigFile.load(config);
        if (ip != null) {
            b.ip(ip);
        }
        if (bind != null) {
            b.bind(bind);
        }
        if (port != null) {
            b.port(port);
        }
        if (appsDir != null) {
            b.appsDir(appsDir);
        }
        if (authips != null) {
            b.authips(authips);
        }
        if (python != null) {
            b.python(python);
        }
        if (heartbeats != null) {
            b.heartbeats(Endpoint.parseAll(heartbeats, AgentSettings.DEFAULT_HEARTBEAT_PORT));
        }
        if (noHeartbeat) {
            b.heartbeatEnabled(false);
        }
        if (schedulers != null) {
            b.schedulers(Endpoint.parseAll(schedulers, AgentSettings.DEFAULT_SCHEDULER_PORT));
        }
        if (interval != null) {
            b.heartbeatIntervalSeconds(interval);
        }
        if (stateDir != null) {
            b.stateDir(stateDir);
        }
        if (noAgentCron) {
            b.agentCronEnabled(false);
        }
        if (cronMisfire != null) {
            b.cronMisfire(MisfirePolicy.parse(cronMisfire));
        }
        if (outboxMax != null) {
            b.outboxMax(outboxMax);
        }
        if (maxPackageBytes != null) {
            b.maxPackageBytes(maxPackageBytes);
        }
        if (downloadTimeout != null) {
            b.downloadTimeoutSeconds(downloadTimeout);
        }
        return b.build();
    }

    /** Starts what the options describe; the caller closes it. */
    public AutoCloseable startAgents() throws Exception {
        AgentSettings settings = settings();
        if (emulate != null) {
            List<String> ips = IpRanges.expand(emulate);
            AgentFleet fleet = AgentFleet.start(settings, ips);
            spec.commandLine().getOut().printf("elves agent: %d emulated agents %s .. %s on port %d%n",
                    fleet.size(), ips.get(0), ips.get(ips.size() - 1), settings.port());
            spec.commandLine().getOut().flush();
            return fleet;
        }
        ElvesAgent agent = ElvesAgent.start(settings);
        spec.commandLine().getOut().printf("elves agent %s listening on %s:%d%n", agent.ip(), settings.bind(), agent.port());
        spec.commandLine().getOut().flush();
        return agent;
    }

    @Override
    public Integer call() throws Exception {
        AutoCloseable running = startAgents();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (running instanceof ElvesAgent) {
                    // a service restart must not kill the workers: the next start adopts them
                    ((ElvesAgent) running).closeLeavingWorkers();
                } else {
                    running.close();
                }
            } catch (Exception e) {
                spec.commandLine().getErr().println("elves agent: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "elves-agent-shutdown"));
        stopped.await();
        return 0;
    }

    /** Version for --version. */
    public static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"elves agent " + AgentVersion.get(), "java " + Runtime.version()};
        }
    }
}
