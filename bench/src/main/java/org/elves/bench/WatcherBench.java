package org.elves.bench;

import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.rpc.WatchTap;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.elves.protocol.Envelope;
import org.elves.standalone.EmbeddedMongo;
import org.elves.standalone.LocalCluster;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.elves.bench.NoopCalls.check;
import static org.elves.bench.NoopCalls.noop;
import static org.elves.bench.NoopCalls.pct;

/**
 * What the Watcher costs and how fast it records (issue 15; {@code --rounds 0}: only the latter):
 * realtime latency (p50/p99 of sequential no-op calls) and throughput with the tap off, on without
 * a Watcher, on with the Watcher in the same JVM, and with the Watcher in a process of its own (the
 * idle scheduling class, as its systemd drop-in has it); each cluster in a JVM of its own and the
 * modes' order turning over rounds, so that neither warm code nor drift of the machine favours
 * one. Then the Watcher's own pace: a backlog of tap messages published while it is down, timed
 * from its start until all is recorded.
 */
public final class WatcherBench {

    /** The ways a cluster runs, compared. */
    private static final String[] MODES = {"tap off", "tap on, no Watcher (copies dropped by the broker)",
            "tap on, Watcher recording in the same JVM (as the standalone)",
            "tap on, Watcher and its MongoDB in a process of their own (as scaled out)"};
    private static final int TAP_OFF = 0;
    private static final int WATCHER_IN_JVM = 2;
    private static final int WATCHER_OWN_PROCESS = 3;
    /** {@code --mode} of the child that is the Watcher process of {@link #WATCHER_OWN_PROCESS}. */
    private static final int BE_THE_WATCHER = 9;
    private static final String WATCHER_MONGO = "WATCHER_MONGO ";
    private static final String FIGURES = "FIGURES ";
    private static final String FAILED = "FAILED ";

    public static void main(String[] args) throws Exception {
        org.elves.protocol.JvmDefaults.apply();
        Map<String, Integer> o = Options.parse(args, Map.of("calls", 1000, "warmup", 300, "rounds", 2,
                "concurrency", 8, "seconds", 10, "backlog", 100_000, "mode", -1, "modes", 15));
        if (o.get("mode") == BE_THE_WATCHER) {
            beTheWatcher();
            return;
        }
        if (o.get("mode") >= 0) {
            try {
                long[] figures = realtime(o.get("mode"), o);
                System.out.println(FIGURES + figures[0] + " " + figures[1] + " " + figures[2]);
                System.exit(0);
            } catch (Throwable e) {
                // said on stdout, which the parent reads; and ended, as the cluster's threads would keep this JVM
                System.out.println(FAILED + e);
                System.exit(1);
            }
        }
        System.out.printf("# Elves Watcher benchmark (%d cores, Java %s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        List<List<long[]>> byMode = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < o.get("rounds"); round++) {
            // each cluster in a JVM of its own, and each mode first in turn: none runs on code another warmed
            for (int i = 0; i < MODES.length; i++) {
                int mode = (round + i) % MODES.length;
                if ((o.get("modes") & (1 << mode)) != 0) {
                    byMode.get(mode).add(inOwnJvm(mode, o));
                }
            }
        }
        if (o.get("rounds") > 0) {
            for (int mode = 0; mode < MODES.length; mode++) {
                if (byMode.get(mode).isEmpty()) {
                    continue;
                }
                report(MODES[mode], byMode.get(mode));
            }
        }
        backlog(o.get("backlog"));
        System.exit(0);
    }

    /**
     * Runs one mode's cluster in a child JVM with this one's class path and heap, and the options
     * of {@code BENCH_CHILD_JAVA_OPTS} (a profiler's, say); its last line carries the figures.
     */
    private static long[] inOwnJvm(int mode, Map<String, Integer> o) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        String extra = System.getenv().getOrDefault("BENCH_CHILD_JAVA_OPTS", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WatcherBench.class.getName()));
        for (String name : List.of("calls", "warmup", "concurrency", "seconds")) {
            command.addAll(List.of("--" + name, String.valueOf(o.get(name))));
        }
        command.addAll(List.of("--mode", String.valueOf(mode)));
        // its log is kept only when it failed: the cause, where the figures cannot say it
        Path log = java.nio.file.Files.createTempFile("watcher-bench-mode" + mode + "-", ".log");
        Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
        long[] figures = null;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith(FIGURES)) {
                    figures = Arrays.stream(line.substring(FIGURES.length()).split(" ")).mapToLong(Long::parseLong).toArray();
                } else if (line.startsWith("  round") || line.startsWith(FAILED)) {
                    System.out.println(line);
                }
            }
        }
        if (child.waitFor() != 0 || figures == null) {
            throw new IllegalStateException("the " + MODES[mode] + " run ended with " + child.exitValue()
                    + " and no figures; its log: " + log);
        }
        java.nio.file.Files.delete(log);
        return figures;
    }

    /** One cluster: [p50 µs, p99 µs, calls/s]. */
    private static long[] realtime(int mode, Map<String, Integer> o) throws Exception {
        boolean tap = mode != TAP_OFF;
        List<Component> components = new ArrayList<>(List.of(Component.values()));
        if (mode != WATCHER_IN_JVM) {
            components.remove(Component.WATCHER);
        }
        WatcherProcess watcherProcess = null;
        // a home of its own, as the standalone has: MongoDB in a file (H2), not in this JVM's heap
        Path home = java.nio.file.Files.createTempDirectory("elves-watcher-bench");
        try (LocalCluster cluster = LocalCluster.builder().home(home).components(components)
                .setting("elves.watch.tap", String.valueOf(tap)).agentHeartbeatSeconds(10).start()) {
            String watcherMongo = cluster.mongoUri();
            if (mode == WATCHER_OWN_PROCESS) {
                watcherProcess = startWatcherProcess(cluster);
                watcherMongo = watcherProcess.mongoUri();
            }
            String ip = "127.0.0.2";
            cluster.startAgents(List.of(ip), b -> b);
            cluster.awaitOnline(List.of(ip), Duration.ofSeconds(30));
            ElvesApiClient api = new ElvesApiClient(new ApiTarget(URI.create(cluster.apiUrl()), cluster.authId(), cluster.authKey()));
            for (int i = 0; i < o.get("warmup"); i++) {
                check(noop(api, ip));
            }
            long[] micros = new long[o.get("calls")];
            for (int i = 0; i < micros.length; i++) {
                long t = System.nanoTime();
                check(noop(api, ip));
                micros[i] = (System.nanoTime() - t) / 1000;
            }
            Arrays.sort(micros);
            long calls = throughput(api, ip, o.get("concurrency"), o.get("seconds"));
            long[] figures = {(long) (pct(micros, 50) * 1000), (long) (pct(micros, 99) * 1000), calls / o.get("seconds")};
            String recorded = "";
            if (mode == WATCHER_IN_JVM || mode == WATCHER_OWN_PROCESS) {
                recorded = awaitRecorded(watcherMongo, cluster.config().get("elves.mongo.database"),
                        o.get("warmup") + o.get("calls") + calls);
            }
            System.out.printf("  round, %s: p50 %.2f ms, p99 %.2f ms, %d calls/s%s%n", MODES[mode],
                    figures[0] / 1000.0, figures[1] / 1000.0, figures[2], recorded);
            return figures;
        } finally {
            if (watcherProcess != null) {
                watcherProcess.process().destroy();
                watcherProcess.process().waitFor();
            }
            try (var files = java.nio.file.Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * The Watcher in a JVM of its own (the heap and collector a scaled-out component has) with its
     * own embedded MongoDB (H2), reading the cluster's tap: what stays in the cluster's process is
     * only the tap. Its start is awaited: its queue must be bound before calls are counted.
     */
    private static WatcherProcess startWatcherProcess(LocalCluster cluster) throws Exception {
        // in the idle scheduling class, as the systemd drop-in of the watcher shape starts it
        List<String> command = new ArrayList<>(List.of("chrt", "--idle", "0",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Delves.log.level=INFO"));
        // not the cluster's MongoDB: system properties would win over the one the child sets
        cluster.sharedSettings().forEach((k, v) -> {
            if (!k.equals("elves.mongo.uri")) {
                command.add("-D" + k + "=" + v);
            }
        });
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WatcherBench.class.getName(),
                "--mode", String.valueOf(BE_THE_WATCHER)));
        Process watcher = new ProcessBuilder(command).redirectErrorStream(true).start();
        var lines = new java.io.BufferedReader(new java.io.InputStreamReader(watcher.getInputStream()));
        String mongoUri = null;
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith(WATCHER_MONGO)) {
                mongoUri = line.substring(WATCHER_MONGO.length());
            }
            if (line.contains("Elves center started") && mongoUri != null) {
                // keep reading its output, or it blocks once the pipe is full
                Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "watcher-output");
                drain.setDaemon(true);
                drain.start();
                return new WatcherProcess(watcher, mongoUri);
            }
        }
        throw new IllegalStateException("the Watcher process ended before it started: " + watcher.waitFor());
    }

    /** The child of {@link #startWatcherProcess}: settings from its -Delves.* properties, MongoDB its own. */
    private static void beTheWatcher() throws Exception {
        Map<String, String> settings = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("elves."))
                .forEach(k -> settings.put(k, System.getProperty(k)));
        Path home = java.nio.file.Files.createTempDirectory("elves-watcher-process");
        EmbeddedMongo mongo = EmbeddedMongo.persistent(home.resolve("watcher.h2"), 0);
        settings.put("elves.mongo.uri", mongo.uri());
        System.out.println(WATCHER_MONGO + mongo.uri());
        Center watcher = startWatcher(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                watcher.close();
                mongo.close();
                java.nio.file.Files.deleteIfExists(home.resolve("watcher.h2"));
                java.nio.file.Files.deleteIfExists(home);
            } catch (Exception e) {
                System.err.println("Watcher process not closed cleanly: " + e);
            }
        }));
        Thread.currentThread().join(); // until destroyed
    }

    private record WatcherProcess(Process process, String mongoUri) {
    }

    /**
     * Waits until the Watcher recorded a task log for every call made (so the figures are those of
     * a Watcher that recorded, not of one that failed quietly) and says how long after the last call.
     */
    private static String awaitRecorded(String mongoUri, String database, long callsMade) throws InterruptedException {
        long lastCall = System.nanoTime();
        try (com.mongodb.client.MongoClient mongo = com.mongodb.client.MongoClients.create(mongoUri)) {
            var logs = mongo.getDatabase(database).getCollection("task_logs");
            waitFor(() -> logs.countDocuments() >= callsMade, Duration.ofMinutes(3));
            return String.format("; %d task logs recorded, the last %.1f s after the last call",
                    logs.countDocuments(), (System.nanoTime() - lastCall) / 1e9);
        }
    }

    private static long throughput(ElvesApiClient api, String ip, int callers, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long[] done = new long[callers];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int me = c;
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (noop(api, ip).ok()) {
                        done[me]++;
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return Arrays.stream(done).sum();
    }

    private static void report(String label, List<long[]> rounds) {
        long[] p50 = rounds.stream().mapToLong(r -> r[0]).sorted().toArray();
        long[] p99 = rounds.stream().mapToLong(r -> r[1]).sorted().toArray();
        long[] rate = rounds.stream().mapToLong(r -> r[2]).sorted().toArray();
        System.out.printf("realtime, %s: p50 %.2f ms, p99 %.2f ms (best of %d rounds: %.2f ms), %d calls/s (median)%n",
                label, median(p50) / 1000.0, median(p99) / 1000.0, rounds.size(), p99[0] / 1000.0, median(rate));
    }

    /**
     * A backlog of {@code count} tap messages (two rpc copies and one phase event per task, as a
     * realtime call makes) waits while no Watcher runs; then one Watcher records it.
     */
    private static void backlog(int count) throws Exception {
        if (count < 3) {
            return; // --backlog 0: only the rounds
        }
        List<Component> noWatcher = new ArrayList<>(List.of(Component.values()));
        noWatcher.remove(Component.WATCHER);
        try (LocalCluster cluster = LocalCluster.builder().components(noWatcher).start()) {
            Map<String, String> shared = new HashMap<>(cluster.sharedSettings());
            String queue = cluster.config().get("elves.mq.queue-prefix") + "watcher.tap";
            // a first start declares the queue; stopped, it leaves the queue to fill
            startWatcher(shared).close();
            CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
            try {
                RabbitAdmin admin = new RabbitAdmin(factory);
                WatchTap tap = new WatchTap(new RabbitTemplate(factory),
                        WatchTap.exchangeOf(cluster.config().get("elves.mq.exchange")), true, count + 1, 1000, 0);
                long published = System.nanoTime();
                for (int i = 0; i < count / 3; i++) {
                    String id = String.format("%016X", i);
                    Envelope call = Envelope.call("openapi", "scheduler", "syncJob", Map.<String, Object>of("id", id, "ip", "10.0.0.1", "app", "a", "func", "f"));
                    tap.copy(WatchTap.CALL, call.routingKey(), call.toBytes());
                    tap.copy(WatchTap.REPLY, call.routingKey(), call.reply(Map.<String, Object>of("flag", "true", "result", Map.of("id", id))).toBytes());
                    tap.event("scheduler", id, "sent", Map.of("agent_ip", "10.0.0.1", "instruct", "a", "func", "f", "type", "rt"));
                }
                int total = (count / 3) * 3;
                // copies travel in bundles (WatchTap.BUNDLE): all published, then the queue's depth settled
                waitFor(() -> tap.published() >= total, Duration.ofMinutes(5));
                long settled = -1;
                while (settled != depth(admin, queue)) {
                    settled = depth(admin, queue);
                    Thread.sleep(500);
                }
                System.out.printf("tap: %d copies published and queued in %.1f s (%.0f/s from one process's buffer, %d bundles)%n",
                        total, (System.nanoTime() - published) / 1e9, total / ((System.nanoTime() - published) / 1e9), settled);
                tap.close();
                long start = System.nanoTime();
                try (Center watcher = startWatcher(shared);
                     com.mongodb.client.MongoClient mongo = com.mongodb.client.MongoClients.create(cluster.mongoUri())) {
                    // recorded, not only handed out: every copy in watch_messages, every task's record in task_logs
                    var db = mongo.getDatabase(cluster.config().get("elves.mongo.database"));
                    waitFor(() -> db.getCollection("watch_messages").countDocuments() >= 2L * total / 3
                            && db.getCollection("task_logs").countDocuments() >= total / 3, Duration.ofMinutes(10));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("Watcher catching up a backlog of %d tap messages (incl. its start): %.1f s, %.0f messages/s recorded%n",
                            total, seconds, total / seconds);
                }
            } finally {
                factory.destroy();
            }
        }
    }

    private static Center startWatcher(Map<String, String> shared) throws Exception {
        return Center.start(Center.configFor(List.of(Component.WATCHER)).overrides(shared).build(), List.of(Component.WATCHER));
    }

    private static long depth(RabbitAdmin admin, String queue) {
        QueueInformation info = admin.getQueueInfo(queue);
        return info == null ? -1 : info.getMessageCount();
    }

    private static void waitFor(java.util.function.BooleanSupplier done, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not done within " + limit);
            }
            Thread.sleep(100);
        }
    }

    private static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }
}
