package org.elves.bench;

import org.elves.agent.config.Endpoint;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.elves.standalone.LocalCluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Issue 14 item 6: the center scaled out, each component instance its own process on one RabbitMQ,
 * ZooKeeper and MongoDB (embedded here), agents in this JVM.
 * <ol>
 *   <li>Realtime throughput (no-op shell worker, concurrent callers, after a warm-up) with one
 *       Scheduler and one OpenAPI, then with a second of each (callers split over both OpenAPIs).</li>
 *   <li>The fail-over gap per component: with two instances of every component, instance 1 of
 *       each in turn is killed (SIGKILL) while probes that need that component run; the gap is the
 *       longest time without a successful probe around the kill (the Cron's: the longest time
 *       between two fires of a per-second cron).</li>
 * </ol>
 */
public final class ScaleOutBench {
    private static final String AGENT = "127.0.0.2";
    private static final List<String> COMPONENTS = List.of("heartbeat", "scheduler", "queue", "cron", "supervisor", "openapi");

    public static void main(String[] args) throws Exception {
        org.elves.protocol.JvmDefaults.apply();
        Map<String, Integer> o = Options.parse(args, Map.of("callers", 8, "seconds", 10, "warmup", 10,
                "session-ms", 4000, "failover", 1));
        try (LocalCluster shared = LocalCluster.builder().components(List.of())
                .setting("elves.zookeeper.session-timeout-ms", String.valueOf(o.get("session-ms"))).start();
             Processes centers = new Processes(shared, o.get("session-ms"))) {
            System.out.printf("# Elves scale-out benchmark (%d cores, Java %s), one process per component instance%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            centers.start("heartbeat", 1);
            centers.start("scheduler", 1);
            centers.start("openapi", 1);
            centers.awaitStarted();
            shared.startAgents(List.of(AGENT), b -> b.heartbeats(centers.endpoints("heartbeat"))
                    .schedulers(centers.endpoints("scheduler")));
            awaitOk(() -> noop(centers.api(1)));
            load(List.of(centers.api(1)), o.get("callers"), o.get("warmup"));
            throughput("1 Scheduler, 1 OpenAPI", List.of(centers.api(1)), o.get("callers"), o.get("seconds"));
            centers.start("scheduler", 2);
            centers.start("openapi", 2);
            centers.awaitStarted();
            awaitOk(() -> noop(centers.api(2)));
            load(List.of(centers.api(1), centers.api(2)), o.get("callers"), o.get("warmup"));
            throughput("2 Schedulers, 2 OpenAPIs", List.of(centers.api(1), centers.api(2)), o.get("callers"), o.get("seconds"));
            if (o.get("failover") == 0) {
                System.exit(0);
            }

            for (String component : COMPONENTS) {
                for (int i = 1; i <= 2; i++) {
                    if (!centers.running(component, i)) {
                        centers.start(component, i);
                    }
                }
            }
            centers.awaitStarted();
            failoverGaps(centers);
        }
        System.exit(0);
    }

    private static void throughput(String shape, List<ElvesApiClient> apis, int callers, int seconds) throws Exception {
        long[] counts = load(apis, callers, seconds);
        System.out.printf("realtime throughput, %s, %d callers, %d s: %.0f calls/s, %d errors%n",
                shape, callers, seconds, counts[0] / (double) seconds, counts[1]);
    }

    /** Callers spread over the APIs for this long: {calls that succeeded, calls that did not}. */
    private static long[] load(List<ElvesApiClient> apis, int callers, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            ElvesApiClient api = apis.get(i % apis.size());
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    (noop(api) ? done : errors).incrementAndGet();
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return new long[] {done.get(), errors.get()};
    }

    private static void failoverGaps(Processes centers) throws Exception {
        ElvesApiClient api1 = centers.api(1);
        ElvesApiClient api2 = centers.api(2);
        // through OpenAPI 1, or 2 when 1 is down (as a load balancer would)
        Supplier<ElvesApiClient> balanced = () -> centers.running("openapi", 1) ? api1 : api2;
        ApiResponse cron = api2.call("/api/v2/cron/add", Map.of("ip", AGENT, "app", "shelltest", "func", "noop",
                "rule", "* * * * * ?", "timeout", "10"), Duration.ofSeconds(30));
        if (!cron.ok()) {
            throw new IllegalStateException("cron not added: " + cron.error());
        }
        Map<String, Supplier<Boolean>> probes = new LinkedHashMap<>();
        probes.put("openapi", () -> noop(balanced.get()));
        probes.put("scheduler", () -> noop(api2));
        probes.put("heartbeat", () -> api2.call("/api/v2/info/agents", Map.of(), Duration.ofSeconds(30)).ok());
        probes.put("queue", () -> api2.call("/api/v2/queue/create", Map.of("app", "shelltest"), Duration.ofSeconds(30)).ok());
        probes.put("supervisor", () -> api2.call("/api/v2/admin/app/list", Map.of(), Duration.ofSeconds(30)).ok());
        probes.put("cron", () -> api2.call("/api/v2/cron/detail", Map.of("cron_id", cron.resultText("id")),
                Duration.ofSeconds(30)).ok());
        for (Map.Entry<String, Supplier<Boolean>> probe : probes.entrySet()) {
            String component = probe.getKey();
            Probe running = new Probe(probe.getValue());
            Thread.sleep(2000);
            long killedAt = System.currentTimeMillis();
            int instance = component.equals("cron") ? centers.cronLeader() : 1;
            centers.kill(component, instance);
            Thread.sleep(component.equals("cron") ? 15_000 : 5_000);
            List<Long> successes = running.stop();
            long gap = longestGap(successes, killedAt);
            String fires = component.equals("cron") ? ", fires: " + cronGap(api2, cron.resultText("id"), killedAt) : "";
            System.out.printf("fail-over gap, %s instance killed: %d ms without a successful %s probe%s%n",
                    component, gap, component, fires);
            centers.start(component, instance);
            centers.awaitStarted();
        }
    }

    /** The longest time between two successes around the kill (from the last before it to the first after). */
    private static long longestGap(List<Long> successes, long killedAt) {
        long gap = 0;
        for (int i = 1; i < successes.size(); i++) {
            if (successes.get(i) >= killedAt) {
                gap = Math.max(gap, successes.get(i) - successes.get(i - 1));
            }
        }
        return gap;
    }

    /** The longest time between two fires of the per-second cron after the kill, from its history. */
    private static String cronGap(ElvesApiClient api, String cronId, long killedAt) {
        ApiResponse detail = api.call("/api/v2/cron/detail", Map.of("cron_id", cronId), Duration.ofSeconds(30));
        List<Long> seconds = new ArrayList<>();
        detail.result().get("history").forEach(run -> {
            String key = run.get("run_id").asText();
            seconds.add(Long.parseLong(key.substring(key.indexOf('@') + 1)));
        });
        seconds.sort(null);
        long gap = 0;
        for (int i = 1; i < seconds.size(); i++) {
            if (seconds.get(i) * 1000 >= killedAt) {
                gap = Math.max(gap, seconds.get(i) - seconds.get(i - 1));
            }
        }
        return "longest " + gap + " s between two fires of a per-second cron (the leader's take-over)";
    }

    private static boolean noop(ElvesApiClient api) {
        ApiResponse r = api.call("/api/v2/rt/exec", Map.of("ip", AGENT, "app", "shelltest", "func", "noop", "timeout", "10"),
                Duration.ofSeconds(30));
        return r.ok() && "1".equals(r.resultText("worker_flag"));
    }

    private static void awaitOk(Supplier<Boolean> call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!call.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the center does not answer");
            }
            Thread.sleep(200);
        }
    }

    /** Two threads calling a probe in a loop, keeping the times of its successes. */
    private static final class Probe {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Long> successes = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        Probe(Supplier<Boolean> probe) {
            for (int i = 0; i < 2; i++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        if (probe.get()) {
                            successes.add(System.currentTimeMillis());
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
        }

        List<Long> stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
            List<Long> sorted = new ArrayList<>(successes);
            sorted.sort(null);
            return sorted;
        }
    }

    /** Center component instances as processes of their own, each with its own ports. */
    private static final class Processes implements AutoCloseable {
        private final LocalCluster shared;
        private final int sessionMs;
        private final Map<String, Process> processes = new LinkedHashMap<>();
        private final Map<String, Path> outputs = new LinkedHashMap<>();
        private final Map<String, Integer> ports = new LinkedHashMap<>();

        Processes(LocalCluster shared, int sessionMs) {
            this.shared = shared;
            this.sessionMs = sessionMs;
        }

        void start(String component, int instance) throws IOException {
            String name = component + "-" + instance;
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
                    "-Delves.log.level=INFO",
                    "-cp", System.getProperty("java.class.path"), "org.elves.center.CenterCommand", "--components", component));
            Map<String, String> settings = new LinkedHashMap<>(shared.sharedSettings());
            for (String c : List.of("openapi", "heartbeat", "scheduler", "supervisor")) {
                settings.put("elves." + c + ".port", String.valueOf(port(c, instance)));
            }
            settings.put("elves.zookeeper.session-timeout-ms", String.valueOf(sessionMs));
            settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
            Path output = outputs.computeIfAbsent(name, n -> tempFile(n));
            processes.put(name, new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start());
        }

        /** Until every running process printed its start line as often as it was started. */
        void awaitStarted() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            for (Map.Entry<String, Process> e : processes.entrySet()) {
                while (!e.getValue().isAlive() || !startedSinceLastKill(e.getKey())) {
                    if (!e.getValue().isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException(e.getKey() + " did not start:\n" + Files.readString(outputs.get(e.getKey())));
                    }
                    Thread.sleep(100);
                }
            }
        }

        private boolean startedSinceLastKill(String name) throws IOException {
            String out = Files.readString(outputs.get(name));
            return out.lastIndexOf("Elves center started") > out.lastIndexOf("=== killed ===");
        }

        void kill(String component, int instance) throws Exception {
            String name = component + "-" + instance;
            Process p = processes.get(name);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.writeString(outputs.get(name), "\n=== killed ===\n", java.nio.file.StandardOpenOption.APPEND);
        }

        boolean running(String component, int instance) {
            Process p = processes.get(component + "-" + instance);
            return p != null && p.isAlive();
        }

        int cronLeader() throws IOException {
            return Files.readString(outputs.get("cron-2")).contains("firing as leader")
                    && !Files.readString(outputs.get("cron-1")).contains("firing as leader") ? 2 : 1;
        }

        List<Endpoint> endpoints(String component) {
            return List.of(new Endpoint("127.0.0.1", port(component, 1)), new Endpoint("127.0.0.1", port(component, 2)));
        }

        ElvesApiClient api(int instance) {
            return new ElvesApiClient(new ApiTarget(URI.create("http://127.0.0.1:" + port("openapi", instance)),
                    shared.authId(), shared.authKey()));
        }

        private int port(String component, int instance) {
            return ports.computeIfAbsent(component + "-" + instance, k -> {
                try (ServerSocket s = new ServerSocket(0)) {
                    return s.getLocalPort();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        private static Path tempFile(String name) {
            try {
                return Files.createTempFile("elves-bench-" + name, ".log");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws Exception {
            for (Process p : processes.values()) {
                p.destroy();
            }
            for (Process p : processes.values()) {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            for (Path out : outputs.values()) {
                Files.deleteIfExists(out);
            }
        }
    }
}
