package org.elves.agent.config;

import org.elves.agent.cron.MisfirePolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one agent needs, immutable. Build it with {@link #builder()}, load it from a cfg.json
 * with {@link ConfigFile#load(Path)}, derive variants with {@link #toBuilder()}. Key names of the
 * original cfg.json are given in the comments (reference §7.3); the others are this agent's own.
 *
 * @param ip                      the agent's identity in the center ({@code ip}); defaults to the bind
 *                                address when that is a specific one, else 127.0.0.1
 * @param asset                   alias, usually a CMDB asset id ({@code asset}); defaults to {@code ip}
 * @param bind                    address the Thrift server listens on ({@code bind}, default 0.0.0.0)
 * @param port                    Thrift port ({@code port}, default 11101; 0 picks a free one)
 * @param authips                 callers allowed to connect ({@code authips}; "*" = everyone;
 *                                empty = 127.0.0.1 only)
 * @param framed                  serve TFramedTransport instead of the original's unframed socket
 *                                ({@code thrift.framed}, default false)
 * @param maxConnections          concurrent Thrift connections ({@code thrift.maxconnections}, 64)
 * @param idleTimeoutSeconds      a connection silent this long is closed ({@code thrift.idletimeout},
 *                                300 s; 0 = never)
 * @param appsDir                 where apps live ({@code appsdir}, default ./apps)
 * @param python                  interpreter command for app-worker.py, split on blanks
 *                                ({@code python}, default python3; e.g. "/usr/bin/python3 -S")
 * @param outputMaxBytes          stdout kept per worker ({@code worker.outputmax}, default 1 MiB)
 * @param apps                    app versions ({@code apps}); apps not listed use their VERSION file
 * @param heartbeatEnabled        send heartbeats ({@code heartbeat.enabled}, default true)
 * @param heartbeats              heartbeat servers ({@code heartbeat.addr}/{@code heartbeat.port}, or
 *                                the list {@code heartbeat.addrs}; default 127.0.0.1:11102): the
 *                                agent beats one and moves to the next when it stops answering
 * @param heartbeatIntervalSeconds beat period ({@code heartbeat.interval}, default 10 s)
 * @param heartbeatTimeoutSeconds socket timeout of a beat ({@code heartbeat.timeout}, default 5 s)
 * @param heartbeatBackoffMaxSeconds the longest random pause after failed beats
 *                                ({@code heartbeat.backoffmax}, default 0 = the interval; larger
 *                                fleets set more, so a center back from an outage is not rushed)
 * @param schedulers              where async results go, tried in order ({@code scheduler.addr}/
 *                                {@code scheduler.port}, or the list {@code scheduler.addrs};
 *                                default 127.0.0.1:10101)
 * @param schedulerTimeoutSeconds socket timeout of a result delivery ({@code scheduler.timeout}, 5 s);
 *                                results the scheduler did not take are retried from the outbox
 *                                until it does (see {@code outboxMax})
 * @param asyncWorkers            async instructs run at once ({@code worker.async}, default 16)
 * @param asyncQueue              async instructs waiting for a worker ({@code worker.queue}, 10000)
 * @param dedupeSize              task ids remembered, across restarts too (journaled in the state
 *                                dir; {@code dedupe.size}, default 100000)
 * @param dedupeTtlSeconds        how long a task id is remembered ({@code dedupe.ttl}, 3600 s)
 * @param dedupeResultChars       result text kept for repeated ids, in chars over all remembered
 *                                tasks ({@code dedupe.resultchars}, default 4 Mi); beyond it only
 *                                the ids are kept
 * @param ipList                  addresses reported in heartbeats ({@code iplist}); empty = the
 *                                machine's own addresses
 * @param stateDir                where the agent keeps what must survive a restart: the task journal,
 *                                the spooled output of async workers, undelivered results, its
 *                                agent-side crons ({@code statedir}, default ./var, made private
 *                                (0700); an emulated fleet uses {@code <statedir>/<ip>} per agent)
 * @param agentCronEnabled        run the agent-side crons the center pushes ({@code agentcron.enabled},
 *                                default true; false answers cronSync UNKNOWN_METHOD like an
 *                                original agent and ignores the crons of heartbeat answers)
 * @param cronMisfire             what a restarted agent does about cron times it missed while down
 *                                ({@code cron.misfire}: fire-once (default) or skip)
 * @param outboxMax               async results (center tasks and agent-side crons) kept while the
 *                                scheduler is unreachable ({@code outbox.max}, or its older name
 *                                {@code cron.outboxmax}; default 10000); beyond it the oldest is
 *                                dropped with an ERROR log
 * @param maxPackageBytes         largest app package the agent downloads from the center
 *                                ({@code apps.maxpackagebytes}, default 256 MiB; the unzipped files
 *                                may take four times as much)
 * @param downloadTimeoutSeconds  a package download not complete after this long is given up
 *                                ({@code apps.downloadtimeout}, default 300 s)
 * @param outputFlushMillis       how often the output of running workers is streamed to the
 *                                scheduler ({@code output.flush-ms}, default 200; 0 = not streamed)
 * @param outputMaxPendingBytes   output of one task waiting to be streamed; beyond it the oldest
 *                                is dropped and counted ({@code output.max-pending-bytes}, 256 KiB)
 */
public record AgentSettings(
        String ip,
        String asset,
        String bind,
        int port,
        List<String> authips,
        boolean framed,
        int maxConnections,
        int idleTimeoutSeconds,
        Path appsDir,
        String python,
        int outputMaxBytes,
        Map<String, String> apps,
        boolean heartbeatEnabled,
        List<Endpoint> heartbeats,
        int heartbeatIntervalSeconds,
        int heartbeatTimeoutSeconds,
        int heartbeatBackoffMaxSeconds,
        List<Endpoint> schedulers,
        int schedulerTimeoutSeconds,
        int asyncWorkers,
        int asyncQueue,
        int dedupeSize,
        int dedupeTtlSeconds,
        int dedupeResultChars,
        List<String> ipList,
        Path stateDir,
        boolean agentCronEnabled,
        MisfirePolicy cronMisfire,
        int outboxMax,
        long maxPackageBytes,
        int downloadTimeoutSeconds,
        int outputFlushMillis,
        int outputMaxPendingBytes) {

    public static final int DEFAULT_PORT = 11101;
    public static final int DEFAULT_HEARTBEAT_PORT = 11102;
    public static final int DEFAULT_SCHEDULER_PORT = 10101;
    public static final String ALLOW_ALL = "*";
    public static final String LOOPBACK = "127.0.0.1";

    public AgentSettings {
        require(!blank(ip), "ip must not be empty");
        require(!blank(asset), "asset must not be empty");
        require(!blank(bind), "bind must not be empty");
        require(port >= 0 && port <= 65535, "port " + port + " is outside 0..65535");
        require(authips != null && !authips.isEmpty(), "authips must not be empty");
        require(maxConnections >= 1, "thrift.maxconnections must be at least 1");
        require(idleTimeoutSeconds >= 0, "thrift.idletimeout must not be negative");
        Objects.requireNonNull(appsDir, "appsDir");
        require(!blank(python), "python must not be empty");
        require(outputMaxBytes >= 1024, "worker.outputmax must be at least 1024 bytes");
        require(heartbeats != null && !heartbeats.isEmpty(), "at least one heartbeat address is needed");
        require(heartbeatIntervalSeconds >= 1, "heartbeat.interval must be at least 1 s");
        require(heartbeatTimeoutSeconds >= 1, "heartbeat.timeout must be at least 1 s");
        require(heartbeatBackoffMaxSeconds >= 0, "heartbeat.backoffmax must not be negative");
        require(schedulers != null && !schedulers.isEmpty(), "at least one scheduler address is needed");
        require(schedulerTimeoutSeconds >= 1, "scheduler.timeout must be at least 1 s");
        require(asyncWorkers >= 1, "worker.async must be at least 1");
        require(asyncQueue >= 1, "worker.queue must be at least 1");
        require(dedupeSize >= 1, "dedupe.size must be at least 1");
        require(dedupeTtlSeconds >= 1, "dedupe.ttl must be at least 1 s");
        require(dedupeResultChars >= 0, "dedupe.resultchars must not be negative");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(cronMisfire, "cronMisfire");
        require(outboxMax >= 1, "outbox.max must be at least 1");
        require(maxPackageBytes >= 1024, "apps.maxpackagebytes must be at least 1024");
        require(downloadTimeoutSeconds >= 1, "apps.downloadtimeout must be at least 1 s");
        require(outputFlushMillis >= 0, "output.flush-ms must not be negative");
        require(outputMaxPendingBytes >= 1024, "output.max-pending-bytes must be at least 1024");
        authips = List.copyOf(authips);
        apps = Map.copyOf(apps == null ? Map.of() : apps);
        schedulers = List.copyOf(schedulers);
        heartbeats = List.copyOf(heartbeats);
        ipList = List.copyOf(ipList == null ? List.of() : ipList);
    }

    /** The first heartbeat server (where a fresh agent's beats go when the list has one). */
    public Endpoint heartbeat() {
        return heartbeats.get(0);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static AgentSettings defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.ip = ip;
        b.asset = asset;
        b.bind = bind;
        b.port = port;
        b.authips = authips;
        b.framed = framed;
        b.maxConnections = maxConnections;
        b.idleTimeoutSeconds = idleTimeoutSeconds;
        b.appsDir = appsDir;
        b.python = python;
        b.outputMaxBytes = outputMaxBytes;
        b.apps = apps;
        b.heartbeatEnabled = heartbeatEnabled;
        b.heartbeats = heartbeats;
        b.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
        b.heartbeatTimeoutSeconds = heartbeatTimeoutSeconds;
        b.heartbeatBackoffMaxSeconds = heartbeatBackoffMaxSeconds;
        b.schedulers = schedulers;
        b.schedulerTimeoutSeconds = schedulerTimeoutSeconds;
        b.asyncWorkers = asyncWorkers;
        b.asyncQueue = asyncQueue;
        b.dedupeSize = dedupeSize;
        b.dedupeTtlSeconds = dedupeTtlSeconds;
        b.dedupeResultChars = dedupeResultChars;
        b.ipList = ipList;
        b.stateDir = stateDir;
        b.agentCronEnabled = agentCronEnabled;
        b.cronMisfire = cronMisfire;
        b.outboxMax = outboxMax;
        b.maxPackageBytes = maxPackageBytes;
        b.downloadTimeoutSeconds = downloadTimeoutSeconds;
        b.outputFlushMillis = outputFlushMillis;
        b.outputMaxPendingBytes = outputMaxPendingBytes;
        return b;
    }

    /** Whether every caller may connect ("*" in authips). */
    public boolean allowsEveryone() {
        return authips.contains(ALLOW_ALL);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("agent settings: " + message);
        }
    }

    /** Mutable builder; unset values take the defaults documented on {@link AgentSettings}. */
    public static final class Builder {
        private String ip;
        private String asset;
        private String bind = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private List<String> authips = List.of();
        private boolean framed;
        private int maxConnections = 64;
        private int idleTimeoutSeconds = 300;
        private Path appsDir = Path.of("apps");
        private String python = "python3";
        private int outputMaxBytes = 1 << 20;
        private Map<String, String> apps = Map.of();
        private boolean heartbeatEnabled = true;
        private List<Endpoint> heartbeats = List.of(new Endpoint(LOOPBACK, DEFAULT_HEARTBEAT_PORT));
        private int heartbeatIntervalSeconds = 10;
        private int heartbeatTimeoutSeconds = 5;
        private int heartbeatBackoffMaxSeconds = 0;
        private List<Endpoint> schedulers = List.of(new Endpoint(LOOPBACK, DEFAULT_SCHEDULER_PORT));
        private int schedulerTimeoutSeconds = 5;
        private int asyncWorkers = 16;
        private int asyncQueue = 10_000;
        private int dedupeSize = 100_000;
        private int dedupeTtlSeconds = 3600;
        private int dedupeResultChars = 4 << 20;
        private List<String> ipList = List.of();
        private Path stateDir = Path.of("var");
        private boolean agentCronEnabled = true;
        private MisfirePolicy cronMisfire = MisfirePolicy.FIRE_ONCE;
        private int outboxMax = 10_000;
        private long maxPackageBytes = 256L << 20;
        private int downloadTimeoutSeconds = 300;
        private int outputFlushMillis = 200;
        private int outputMaxPendingBytes = 256 << 10;

        private Builder() {
        }

        public Builder ip(String value) {
            ip = value;
            return this;
        }

        public Builder asset(String value) {
            asset = value;
            return this;
        }

        public Builder bind(String value) {
            bind = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder authips(List<String> value) {
            authips = value == null ? List.of() : value;
            return this;
        }

        public Builder framed(boolean value) {
            framed = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder idleTimeoutSeconds(int value) {
            idleTimeoutSeconds = value;
            return this;
        }

        public Builder appsDir(Path value) {
            appsDir = value;
            return this;
        }

        public Builder python(String value) {
            python = value;
            return this;
        }

        public Builder outputMaxBytes(int value) {
            outputMaxBytes = value;
            return this;
        }

        public Builder apps(Map<String, String> value) {
            apps = value == null ? Map.of() : new LinkedHashMap<>(value);
            return this;
        }

        public Builder heartbeatEnabled(boolean value) {
            heartbeatEnabled = value;
            return this;
        }

        public Builder heartbeat(Endpoint value) {
            heartbeats = value == null ? List.of() : List.of(value);
            return this;
        }

        /** Heartbeat servers: the agent beats one and moves to the next when it stops answering. */
        public Builder heartbeats(List<Endpoint> value) {
            heartbeats = value == null ? List.of() : new ArrayList<>(value);
            return this;
        }

        public Builder heartbeatBackoffMaxSeconds(int value) {
            heartbeatBackoffMaxSeconds = value;
            return this;
        }

        public Builder heartbeatIntervalSeconds(int value) {
            heartbeatIntervalSeconds = value;
            return this;
        }

        public Builder heartbeatTimeoutSeconds(int value) {
            heartbeatTimeoutSeconds = value;
            return this;
        }

        public Builder schedulers(List<Endpoint> value) {
            schedulers = value == null ? List.of() : new ArrayList<>(value);
            return this;
        }

        public Builder schedulerTimeoutSeconds(int value) {
            schedulerTimeoutSeconds = value;
            return this;
        }

        public Builder asyncWorkers(int value) {
            asyncWorkers = value;
            return this;
        }

        public Builder asyncQueue(int value) {
            asyncQueue = value;
            return this;
        }

        public Builder dedupeSize(int value) {
            dedupeSize = value;
            return this;
        }

        public Builder dedupeTtlSeconds(int value) {
            dedupeTtlSeconds = value;
            return this;
        }

        public Builder dedupeResultChars(int value) {
            dedupeResultChars = value;
            return this;
        }

        public Builder ipList(List<String> value) {
            ipList = value == null ? List.of() : value;
            return this;
        }

        public Builder stateDir(Path value) {
            stateDir = value;
            return this;
        }

        public Builder agentCronEnabled(boolean value) {
            agentCronEnabled = value;
            return this;
        }

        public Builder cronMisfire(MisfirePolicy value) {
            cronMisfire = value;
            return this;
        }

        public Builder outboxMax(int value) {
            outboxMax = value;
            return this;
        }

        public Builder maxPackageBytes(long value) {
            maxPackageBytes = value;
            return this;
        }

        public Builder downloadTimeoutSeconds(int value) {
            downloadTimeoutSeconds = value;
            return this;
        }

        public Builder outputFlushMillis(int value) {
            outputFlushMillis = value;
            return this;
        }

        public Builder outputMaxPendingBytes(int value) {
            outputMaxPendingBytes = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid value */
        public AgentSettings build() {
            String effectiveIp = blank(ip) ? (isWildcard(bind) ? LOOPBACK : bind) : ip;
            String effectiveAsset = blank(asset) ? effectiveIp : asset;
            // secure by default: an empty list admits the local host only, never everyone
            List<String> effectiveAuth = authips.isEmpty() ? List.of(LOOPBACK) : authips;
            return new AgentSettings(effectiveIp, effectiveAsset, bind, port, effectiveAuth, framed,
                    maxConnections, idleTimeoutSeconds, appsDir, python, outputMaxBytes, apps,
                    heartbeatEnabled, heartbeats, heartbeatIntervalSeconds, heartbeatTimeoutSeconds, heartbeatBackoffMaxSeconds,
                    schedulers, schedulerTimeoutSeconds, asyncWorkers, asyncQueue,
                    dedupeSize, dedupeTtlSeconds, dedupeResultChars, ipList, stateDir, agentCronEnabled,
                    cronMisfire, outboxMax, maxPackageBytes, downloadTimeoutSeconds, outputFlushMillis,
                    outputMaxPendingBytes);
        }

        private static boolean isWildcard(String address) {
            return address == null || address.equals("0.0.0.0") || address.equals("::") || address.equals("*");
        }
    }
}
