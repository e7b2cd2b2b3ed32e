package org.elves.agent.heartbeat;

import org.apache.thrift.TException;
import org.elves.agent.LightJson;
import org.elves.agent.LogThrottle;
import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.Endpoint;
import org.elves.agent.runner.InstalledApps;
import org.elves.agent.thrift.ThriftClients;
import org.elves.protocol.thrift.AgentInfo;
import org.elves.protocol.thrift.HeartbeatService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tells the center this agent is alive and which apps it has (reference §8.4, §11). The first
 * beat goes out at start so a new agent shows up at once (the original waited one interval).
 * The reply's {@code "data"}, the apps the center wants here, is kept; its {@code "packages"}
 * (where to get them) goes to the app installer, its {@code "crons"} (the agent-side cron list)
 * to the cron listener. A reply without {@code "packages"} never installs or removes anything
 * (reference G46).
 */
public final class HeartbeatClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatClient.class);
    private static final long FAILURE_LOG_PERIOD_MILLIS = 60_000;

    private final AgentSettings settings;
    private final InstalledApps apps;
    private final String version;
    private final long startTime;
    private final List<String> ipList;
    private final LogThrottle failures = new LogThrottle(FAILURE_LOG_PERIOD_MILLIS);
    private final Consumer<Object> cronsListener;
    private final Consumer<Object> packagesListener;
    private final Supplier<String> appStatus;
    private volatile boolean failing;
    private volatile Map<String, String> wantedApps = Map.of();
    private volatile long lastSuccessMillis;
    private final HeartbeatTargets targets;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> schedule;
    private boolean closed;

    public HeartbeatClient(AgentSettings settings, InstalledApps apps, String version, long startTime) {
        this(settings, apps, version, startTime, null);
    }

    /**
     * @param cronsListener gets the {@code "crons"} value of each answer that has one (the
     *                      center's agent-side cron list); null ignores them
     */
    public HeartbeatClient(AgentSettings settings, InstalledApps apps, String version, long startTime,
                           Consumer<Object> cronsListener) {
        this(settings, apps, version, startTime, cronsListener, null, null);
    }

    /**
     * @param packagesListener gets the {@code "packages"} value of each answer that has one (the
     *                         apps the center distributes to this agent); null ignores them
     * @param appStatus        the {@code appStatus} JSON each beat reports; null reports none
     */
    public HeartbeatClient(AgentSettings settings, InstalledApps apps, String version, long startTime,
                           Consumer<Object> cronsListener, Consumer<Object> packagesListener,
                           Supplier<String> appStatus) {
        this.cronsListener = cronsListener;
        this.packagesListener = packagesListener;
        this.appStatus = appStatus;
        this.settings = settings;
        this.apps = apps;
        this.version = version;
        this.startTime = startTime;
        this.ipList = settings.ipList().isEmpty() ? withOwnIp(MachineAddresses.list(), settings.ip()) : settings.ipList();
        long intervalMillis = settings.heartbeatIntervalSeconds() * 1000L;
        this.targets = new HeartbeatTargets(settings.heartbeats(), settings.ip(), intervalMillis,
                settings.heartbeatBackoffMaxSeconds() == 0 ? intervalMillis : settings.heartbeatBackoffMaxSeconds() * 1000L,
                java.util.concurrent.ThreadLocalRandom.current());
    }

    private static List<String> withOwnIp(List<String> machine, String ip) {
        if (machine.contains(ip)) {
            return List.copyOf(machine);
        }
        List<String> all = new ArrayList<>(machine.size() + 1);
        all.add(ip);
        all.addAll(machine);
        return List.copyOf(all);
    }

    /** Beats now, then every interval on the given timer (after a failure: see {@link HeartbeatTargets}). */
    public synchronized void start(ScheduledExecutorService timer) {
        this.timer = timer;
        schedule = timer.schedule(this::beatAndReschedule, 0, TimeUnit.MILLISECONDS);
    }

    private void beatAndReschedule() {
        long nextMillis = beatQuietly();
        synchronized (this) {
            if (!closed) {
                schedule = timer.schedule(this::beatAndReschedule, nextMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The info a beat carries, as of now. */
    public AgentInfo info() {
        AgentInfo info = new AgentInfo(settings.asset(), settings.ip(), version, LightJson.write(apps.versions()));
        info.setType("java");
        info.setStartTime(startTime);
        info.setIpList(ipList);
        info.setInterval(settings.heartbeatIntervalSeconds());
        info.setPort(settings.port());
        if (appStatus != null) {
            info.setAppStatus(appStatus.get());
        }
        return info;
    }

    /**
     * Sends one beat to the current heartbeat server and keeps the reply.
     *
     * @throws TException when the heartbeat server cannot be reached or fails
     */
    public void beat() throws TException {
        beat(targets.current());
    }

    private void beat(Endpoint server) throws TException {
        AgentInfo info = info();
        String reply = ThriftClients.callOnce(server, settings.heartbeatTimeoutSeconds() * 1000,
                p -> new HeartbeatService.Client(p).heartbeatPackage(info));
        lastSuccessMillis = System.currentTimeMillis();
        Map<?, ?> root = parseReply(reply);
        if (root == null) {
            return;
        }
        Map<String, String> parsed = parseApps(root);
        if (parsed != null) {
            wantedApps = parsed;
        }
        // no "crons" key: the center did not know the table then; nothing changes
        if (cronsListener != null && root.containsKey("crons")) {
            cronsListener.accept(root.get("crons"));
        }
        // no "packages" key: the center does not know what this agent must run (simple mode,
        // Supervisor unknown); nothing is installed or removed (reference G46)
        if (packagesListener != null && root.containsKey("packages")) {
            packagesListener.accept(root.get("packages"));
        }
    }

    /** One beat; the pause before the next (the timer thread is the only caller). */
    private long beatQuietly() {
        Endpoint server = targets.current();
        try {
            beat(server);
            if (failing) {
                failing = false;
                failures.reset();
                LOG.info("agent {}: heartbeat to {} works again", settings.ip(), server);
            }
            return targets.answered();
        } catch (TException | RuntimeException e) {
            failing = true;
            long pause = targets.failed();
            long suppressed = failures.permit();
            if (suppressed >= 0) {
                LOG.warn("agent {}: heartbeat to {} failed: {}{}; next try {} in {} ms", settings.ip(), server, e.toString(),
                        suppressed > 0 ? " (" + suppressed + " more failures since the last warning)" : "",
                        targets.current(), pause);
            }
            return pause;
        }
    }

    /** The heartbeat server the next beat goes to. */
    public Endpoint server() {
        return targets.current();
    }

    /** The reply as a JSON object; null when it is not one (then nothing changes). */
    private Map<?, ?> parseReply(String reply) {
        if (reply == null || reply.isBlank()) {
            return null;
        }
        try {
            Object root = LightJson.parse(reply);
            return root instanceof Map ? (Map<?, ?>) root : null;
        } catch (IOException e) {
            LOG.debug("agent {}: heartbeat reply is not JSON", settings.ip());
            return null;
        }
    }

    /** {"data":{"app":"ver"}} → map; null when the reply is not of that shape (kept apps unchanged). */
    private static Map<String, String> parseApps(Map<?, ?> root) {
        Object data = root.get("data");
        if (!(data instanceof Map)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) data).forEach((app, version) -> out.put(app.toString(), String.valueOf(version)));
        return Map.copyOf(out);
    }

    /** The apps and versions the center asked for in its last reply. */
    public Map<String, String> wantedApps() {
        return wantedApps;
    }

    /** Wall-clock time of the last answered beat, 0 before the first. */
    public long lastSuccessMillis() {
        return lastSuccessMillis;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
