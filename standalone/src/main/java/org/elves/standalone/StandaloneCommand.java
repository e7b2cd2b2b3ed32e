package org.elves.standalone;

import org.elves.agent.ElvesAgent;
import org.elves.agent.config.AgentSettings;
import org.elves.center.common.BoundedStop;
import org.elves.center.supervisor.AppCatalogue;
import org.elves.protocol.ApiSignature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code elves standalone}: every center component in this JVM with embedded ZooKeeper and
 * MongoDB (data under $ELVES_HOME), the local RabbitMQ, and one agent on 127.0.0.1 with the example
 * apps; prints how to call it and runs until Ctrl-C.
 */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = "Run the whole of Elves on this machine (center, embedded ZooKeeper and MongoDB, one agent).")
public class StandaloneCommand implements Callable<Integer> {
    private static final String DEMO_PARAM = "{\"my\":\"hello from Elves\"}";

    @Option(names = "--home", paramLabel = "DIR", description = "Data directory. Default: $ELVES_HOME or ~/.elves.")
    Path home;

    @Option(names = "--api-port", paramLabel = "PORT", description = "API port on 127.0.0.1. Default: $ELVES_API_PORT or 9091.")
    Integer apiPort;

    @Option(names = "--no-agent", description = "Do not start the local agent.")
    boolean noAgent;

    @Option(names = "--agent-ip", paramLabel = "IP", description = "Loopback address of the local agent. Default: 127.0.0.1.")
    String agentIp = "127.0.0.1";

    @Option(names = "--agent-port", paramLabel = "PORT", description = "Thrift port of the local agent. Default: 11101.")
    int agentPort = AgentSettings.DEFAULT_PORT;

    @Option(names = "--heartbeat-port", paramLabel = "PORT", description = "Heartbeat's Thrift port. Default: 11102.")
    int heartbeatPort = AgentSettings.DEFAULT_HEARTBEAT_PORT;

    @Option(names = "--scheduler-port", paramLabel = "PORT", description = "Scheduler's Thrift port (agents' async results). Default: 10101.")
    int schedulerPort = AgentSettings.DEFAULT_SCHEDULER_PORT;

    private final Map<String, String> env;
    private final PrintStream out;

    public StandaloneCommand() {
        this(System.getenv(), System.out);
    }

    StandaloneCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path dir = home != null ? home : Path.of(env.getOrDefault("ELVES_HOME", System.getProperty("user.home") + "/.elves"));
        Files.createDirectories(dir);
        SingleInstanceLock lock = SingleInstanceLock.tryAcquire(dir.resolve("standalone.lock"));
        if (lock == null) {
            System.err.println("elves standalone: already running with home " + dir.toAbsolutePath()
                    + " (stop it with Ctrl-C, or use another --home)");
            return 1;
        }
        int port = apiPort != null ? apiPort : Integer.parseInt(env.getOrDefault("ELVES_API_PORT", "9091"));
        String mqHost = env.getOrDefault("ELVES_MQ_HOST", "127.0.0.1");
        int mqPort = Integer.parseInt(env.getOrDefault("ELVES_MQ_PORT", "5672"));
        if (!reachable(mqHost, mqPort)) {
            System.err.println("elves standalone: RabbitMQ is not reachable at " + mqHost + ":" + mqPort
                    + "; start it (`./elves setup` installs and starts it, or `rabbitmq-server -detached`)");
            lock.close();
            return 1;
        }
        Credentials credentials = Credentials.resolve(dir, env);
        LocalCluster cluster;
        try {
            cluster = LocalCluster.builder()
                    .home(dir)
                    .namespace("elves", "")
                    .apiPort(port)
                    .heartbeatPort(heartbeatPort)
                    .schedulerPort(schedulerPort)
                    .credentials(credentials.authId(), credentials.authKey())
                    .agentHeartbeatSeconds(10)
                    .start();
        } catch (Exception e) {
            System.err.println("elves standalone: could not start: " + rootMessage(e));
            lock.close();
            return 1;
        }
        // before the agent starts: its first heartbeat answer then names the examples' versions
        String examples = registerExamples(cluster);
        try {
            if (!noAgent) {
                ElvesAgent agent = cluster.startAgent(agentIp, agentPort, b -> b);
                cluster.awaitOnline(List.of(agent.ip()), Duration.ofSeconds(15));
            }
            credentials.store(dir, cluster.apiUrl());
        } catch (Exception e) {
            System.err.println("elves standalone: could not start the local agent: " + rootMessage(e));
            cluster.close();
            lock.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        long stopLimitMs = cluster.config().requireInt("elves.stop-limit-s") * 1000L;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("elves standalone: stopping");
            BoundedStop.run("elves standalone", cluster::close, stopLimitMs);
            try {
                lock.close();
            } catch (IOException ignored) {
                // the OS releases it with the process
            }
            stopped.countDown();
        }, "elves-standalone-shutdown"));
        banner(cluster, dir, credentials, Duration.ofNanos(System.nanoTime() - started), mqHost, mqPort, examples);
        stopped.await();
        return 0;
    }

    /**
     * The example apps in the Supervisor, deployed to the agent (ExampleApps); what was
     * registered, for the banner. A failure is reported and the start goes on: the apps still
     * run (installed by hand), only /api/v2/info/app does not know them.
     */
    private String registerExamples(LocalCluster cluster) {
        try {
            AppCatalogue supervisor = cluster.center().context().getRegistry()
                    .lookupByNameAndType("appCatalogue", AppCatalogue.class);
            return String.join(", ", ExampleApps.register(supervisor, agentIp, cluster.appsDir()))
                    + " (in the Supervisor, deployed to " + agentIp + ")";
        } catch (Exception e) {
            System.err.println("elves standalone: example apps not registered in the Supervisor: " + rootMessage(e));
            return "not registered in the Supervisor (" + rootMessage(e) + ")";
        }
    }

    private void banner(LocalCluster cluster, Path dir, Credentials credentials, Duration startup, String mqHost, int mqPort,
                        String examples) {
        out.printf("%nElves standalone is running (started in %.1f s)%n", startup.toMillis() / 1000.0);
        out.println("  components : " + String.join(", ", cluster.center().components().stream()
                .map(org.elves.center.Component::id).toList()) + " (one JVM)");
        out.println("  RabbitMQ   : " + mqHost + ":" + mqPort + " (exchange elves)");
        out.println("  ZooKeeper  : embedded, " + cluster.zookeeperConnect() + ", data in " + dir.resolve("zookeeper"));
        out.println("  MongoDB    : embedded mongo-java-server (H2 file " + dir.resolve("mongo") + "), " + cluster.mongoUri());
        out.println("  agent      : " + (noAgent ? "none" : agentIp + ":" + agentPort + ", apps in " + cluster.appsDir()));
        out.println("  apps       : " + examples);
        out.println("  API        : " + cluster.apiUrl() + "  (document: " + cluster.apiUrl() + "/api/v2/openapi.json)");
        out.println("  auth_id    : " + credentials.authId() + (credentials.generated() ? "  (generated; set ELVES_AUTH_ID/ELVES_AUTH_KEY to choose)" : ""));
        out.println("  auth_key   : " + credentials.authKey() + "  (also in " + dir.resolve(Credentials.FILE) + ", mode 600)");
        out.println("  admin page : " + cluster.apiUrl() + "/admin/  (sign in with the pair above: the admin key)");
        out.println();
        out.println("Run the example app with the CLI (it signs for you):");
        out.println("  ./elves exec --ip " + agentIp + " --app apptest --func helloword --param '" + DEMO_PARAM + "'");
        out.println();
        out.println("or with curl (signed now, valid for 3 minutes):");
        out.println("  " + curl(cluster.apiUrl(), credentials, agentIp));
        out.println();
        out.println("Ctrl-C stops everything.");
        out.flush();
    }

    static String curl(String api, Credentials credentials, String agentIp) {
        String path = "/api/v2/rt/exec";
        Map<String, String> params = new TreeMap<>();
        params.put("ip", agentIp);
        params.put("app", "apptest");
        params.put("func", "helloword");
        params.put("param", DEMO_PARAM);
        params.put("auth_id", credentials.authId());
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        params.put(ApiSignature.SIGN_TYPE, "MD5");
        params.put(ApiSignature.SIGN, ApiSignature.sign(path, params, credentials.authKey()));
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
        return "curl -s '" + api + path + "?" + query + "'";
    }

    private static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
