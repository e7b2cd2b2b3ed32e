package org.elves.standalone;

import org.elves.agent.AgentFleet;
import org.elves.agent.ElvesAgent;
import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.Endpoint;
import org.elves.apps.AppInstaller;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.heartbeat.AgentRegistry;
import org.elves.config.ElvesConfig;
import org.elves.config.EmbeddedZooKeeper;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A whole Elves on one machine: embedded ZooKeeper and MongoDB, the chosen center components in
 * this JVM, and agents on loopback addresses. The standalone mode is one with a persistent home;
 * integration tests and benchmarks use throw-away ones on their own RabbitMQ namespace.
 */
public final class LocalCluster implements AutoCloseable {
    /*
     * The system interpreter rather than whatever "python3" is first on PATH: version-manager shims
     * (pyenv) add about 25 ms to every Python worker start.
     */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    private final Builder settings;
    private final EmbeddedZooKeeper zookeeper;
    private final EmbeddedMongo mongo;
    private final ElvesConfig config;
    private final Center center;
    private final List<AutoCloseable> agents = new ArrayList<>();

    private LocalCluster(Builder settings, EmbeddedZooKeeper zookeeper, EmbeddedMongo mongo,
                         ElvesConfig config, Center center) {
        this.settings = settings;
        this.zookeeper = zookeeper;
        this.mongo = mongo;
        this.config = config;
        this.center = center;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Agents on these loopback addresses in this JVM, reporting to this cluster, apps installed. */
    public AgentFleet startAgents(List<String> ips, UnaryOperator<AgentSettings.Builder> customise) throws IOException {
        AgentFleet fleet = AgentFleet.start(customise.apply(agentSettings(ips.get(0))).build(), ips);
        agents.add(fleet);
        return fleet;
    }

    /** One agent bound to {@code ip} on the given port. */
    public ElvesAgent startAgent(String ip, int port, UnaryOperator<AgentSettings.Builder> customise) throws IOException {
        AgentSettings.Builder template = agentSettings(ip);
        // a fleet gives each agent <stateDir>/<ip> itself; a single agent gets the same layout
        ElvesAgent agent = ElvesAgent.start(customise.apply(template.port(port)
                .stateDir(settings.home.resolve("agent").resolve("var").resolve(ip))).build());
        agents.add(agent);
        return agent;
    }

    /** The settings agents of this cluster start from: its heartbeat and scheduler, the example apps. */
    public AgentSettings.Builder agentSettings(String ip) throws IOException {
        Path appsDir = appsDir();
        installExamples(appsDir);
        return AgentSettings.builder()
                .ip(ip)
                .bind(ip)
                .port(0)
                .appsDir(appsDir)
                .stateDir(settings.home.resolve("agent").resolve("var"))
                .heartbeat(new Endpoint("127.0.0.1", heartbeatPort()))
                .schedulers(List.of(new Endpoint("127.0.0.1", schedulerPort())))
                .heartbeatIntervalSeconds(settings.agentHeartbeatSeconds)
                .python(PYTHON)
                .authips(List.of("127.0.0.1"));
    }

    /** Where this cluster's agents have their apps (the examples installed by hand). */
    public Path appsDir() {
        return settings.home.resolve("agent").resolve("apps");
    }

    /** Waits until the in-process Heartbeat has seen every one of these agents. */
    public void awaitOnline(List<String> ips, Duration limit) throws InterruptedException {
        AgentRegistry registry = center.context().getRegistry().lookupByNameAndType("agentRegistry", AgentRegistry.class);
        long deadline = System.nanoTime() + limit.toNanos();
        for (String ip : ips) {
            while (registry.find(ip) == null || !registry.isOnline(registry.find(ip))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("agent " + ip + " did not report within " + limit);
                }
                Thread.sleep(20);
            }
        }
    }

    public ElvesConfig config() {
        return config;
    }

    public Center center() {
        return center;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + config.requireInt("elves.openapi.port");
    }

    public String authId() {
        return config.get("elves.openapi.auth.id");
    }

    public String authKey() {
        return config.get("elves.openapi.auth.key");
    }

    public int heartbeatPort() {
        return config.requireInt("elves.heartbeat.port");
    }

    /** The Scheduler's Thrift port, where agents report async results. */
    public int schedulerPort() {
        return config.requireInt("elves.scheduler.port");
    }

    public String zookeeperConnect() {
        return zookeeper.connectString();
    }

    public String mongoUri() {
        return mongo.uri();
    }

    /** The settings a separate center process needs to join this cluster. */
    public Map<String, String> sharedSettings() {
        Map<String, String> shared = new LinkedHashMap<>();
        for (String key : List.of("elves.zookeeper.connect", "elves.mongo.uri", "elves.mq.exchange",
                "elves.mq.queue-prefix", "elves.openapi.port", "elves.openapi.auth.id", "elves.openapi.auth.key",
                "elves.heartbeat.port", "elves.heartbeat.host", "elves.scheduler.port", "elves.scheduler.host")) {
            config.find(key).ifPresent(value -> shared.put(key, value));
        }
        return shared;
    }

    @Override
    public void close() {
        for (int i = agents.size() - 1; i >= 0; i--) {
            closeQuietly(agents.get(i));
        }
        if (center != null) {
            center.close();
        }
        if (settings.temporaryNamespace) {
            deleteNamespace(config);
        }
        config.close();
        mongo.close();
        zookeeper.close();
    }

    private static void installExamples(Path appsDir) throws IOException {
        for (String app : AppInstaller.examples()) {
            if (!Files.isDirectory(appsDir.resolve(app))) {
                AppInstaller.installExample(app, appsDir);
            }
        }
    }

    /** Test namespaces leave nothing behind in the broker. */
    private static void deleteNamespace(ElvesConfig config) {
        CachingConnectionFactory factory = new CachingConnectionFactory(
                config.require("elves.mq.host"), config.requireInt("elves.mq.port"));
        factory.setUsername(config.require("elves.mq.username"));
        factory.setPassword(config.require("elves.mq.password"));
        // a broker that is away must not hold up the stop (amqp-client waits 60 s by default)
        factory.setConnectionTimeout(config.requireInt("elves.mq.connection-timeout-ms"));
        try {
            RabbitAdmin admin = new RabbitAdmin(factory);
            String prefix = config.get("elves.mq.queue-prefix");
            for (Component c : Component.values()) {
                admin.deleteQueue(prefix + c.id());
            }
            admin.deleteExchange(config.get("elves.mq.exchange"));
            // the Heartbeats' broadcast (their own queues expire by themselves)
            admin.deleteExchange(config.get("elves.mq.exchange") + ".heartbeats");
            // the Watcher's tap
            admin.deleteQueue(prefix + "watcher.tap");
            admin.deleteExchange(org.elves.center.rpc.WatchTap.exchangeOf(config.get("elves.mq.exchange")));
        } catch (RuntimeException e) {
            // the broker may be gone already; nothing to clean then
        } finally {
            factory.destroy();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing the rest matters more
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** How to build a cluster; every port defaults to a free one, the home to a temporary directory. */
    public static final class Builder {
        private Path home;
        private boolean temporaryHome = true;
        private boolean temporaryNamespace = true;
        private String namespace;
        private int apiPort;
        private int heartbeatPort;
        private int schedulerPort;
        private int zookeeperPort;
        private String authId = "tester";
        private String authKey = "secret-" + Long.toHexString(System.nanoTime());
        private boolean persistentMongo;
        private int agentHeartbeatSeconds = 1;
        private List<Component> components = List.of(Component.values());
        private final Map<String, String> extra = new LinkedHashMap<>();

        /** A persistent home (data of ZooKeeper and MongoDB, agent apps), as the standalone mode has. */
        public Builder home(Path home) {
            this.home = home;
            this.temporaryHome = false;
            this.persistentMongo = true;
            return this;
        }

        /** The RabbitMQ exchange and queue prefix; default: a unique one deleted on close. */
        public Builder namespace(String exchange, String queuePrefix) {
            this.namespace = exchange + "|" + queuePrefix;
            this.temporaryNamespace = false;
            return this;
        }

        /** A named namespace is kept for a next cluster; the last one of a test deletes it on close. */
        public Builder deleteNamespaceOnClose() {
            this.temporaryNamespace = true;
            return this;
        }

        public Builder apiPort(int port) {
            this.apiPort = port;
            return this;
        }

        public Builder heartbeatPort(int port) {
            this.heartbeatPort = port;
            return this;
        }

        public Builder schedulerPort(int port) {
            this.schedulerPort = port;
            return this;
        }

        public Builder zookeeperPort(int port) {
            this.zookeeperPort = port;
            return this;
        }

        public Builder credentials(String authId, String authKey) {
            this.authId = authId;
            this.authKey = authKey;
            return this;
        }

        public Builder agentHeartbeatSeconds(int seconds) {
            this.agentHeartbeatSeconds = seconds;
            return this;
        }

        /** Center components in this JVM; none when a test runs them as separate processes. */
        public Builder components(List<Component> components) {
            this.components = List.copyOf(components);
            return this;
        }

        public Builder setting(String key, String value) {
            extra.put(key, value);
            return this;
        }

        public LocalCluster start() throws Exception {
            if (home == null) {
                home = Files.createTempDirectory("elves-cluster");
            }
            Files.createDirectories(home);
            String exchange;
            String prefix;
            if (namespace == null) {
                String unique = "t" + Long.toHexString(System.nanoTime()).substring(4);
                exchange = "elves-" + unique;
                prefix = unique + "-";
            } else {
                exchange = namespace.substring(0, namespace.indexOf('|'));
                prefix = namespace.substring(namespace.indexOf('|') + 1);
            }
            EmbeddedZooKeeper zk = EmbeddedZooKeeper.builder().port(zookeeperPort)
                    .dataDirectory(temporaryHome ? null : home.resolve("zookeeper")).start();
            EmbeddedMongo mongo = null;
            ElvesConfig config = null;
            try {
                mongo = persistentMongo ? EmbeddedMongo.persistent(home.resolve("mongo").resolve("elves.h2"), 0)
                        : EmbeddedMongo.inMemory();
                Map<String, String> overrides = new LinkedHashMap<>();
                overrides.put("elves.zookeeper.connect", zk.connectString());
                overrides.put("elves.mongo.uri", mongo.uri());
                overrides.put("elves.mq.exchange", exchange);
                overrides.put("elves.mq.queue-prefix", prefix);
                overrides.put("elves.openapi.port", String.valueOf(apiPort > 0 ? apiPort : freePort()));
                overrides.put("elves.heartbeat.host", "127.0.0.1");
                overrides.put("elves.heartbeat.port", String.valueOf(heartbeatPort > 0 ? heartbeatPort : freePort()));
                overrides.put("elves.scheduler.host", "127.0.0.1");
                overrides.put("elves.scheduler.port", String.valueOf(schedulerPort > 0 ? schedulerPort : freePort()));
                overrides.put("elves.openapi.auth.id", authId);
                overrides.put("elves.openapi.auth.key", authKey);
                overrides.putAll(extra);
                config = Center.configFor(components.isEmpty() ? List.of(Component.values()) : components)
                        .overrides(overrides).build();
                Center center = components.isEmpty() ? null : Center.start(config, components);
                return new LocalCluster(this, zk, mongo, config, center);
            } catch (Exception | Error e) {
                if (config != null) {
                    config.close();
                }
                if (mongo != null) {
                    mongo.close();
                }
                zk.close();
                throw e;
            }
        }
    }
}
