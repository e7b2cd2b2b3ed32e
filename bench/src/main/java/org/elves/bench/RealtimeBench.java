package org.elves.bench;

import org.elves.agent.config.AgentSettings;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.elves.standalone.LocalCluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.elves.bench.NoopCalls.check;
import static org.elves.bench.NoopCalls.noop;
import static org.elves.bench.NoopCalls.pct;

/**
 * Realtime task figures of design §7: API call to answer with a no-op shell worker (p50/p99 over
 * sequential calls), throughput with concurrent callers, and one call fanned out to many agents
 * (shell and Python workers). Everything on loopback: the center (all components in one JVM),
 * the agents (one JVM, 127.0.0.x), the real RabbitMQ.
 */
public final class RealtimeBench {

    public static void main(String[] args) throws Exception {
        org.elves.protocol.JvmDefaults.apply();
        Map<String, Integer> o = Options.parse(args, Map.of("calls", 1000, "warmup", 300, "concurrency", 8,
                "seconds", 10, "fanout", 100, "rounds", 5));
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < o.get("fanout"); i++) {
            fleet.add("127.0." + (1 + (i + 2) / 250) + "." + (1 + (i + 2) % 250));
        }
        String single = "127.0.0.2";
        try (LocalCluster cluster = LocalCluster.builder().components(List.of(Component.values()))
                .agentHeartbeatSeconds(10).start()) {
            cluster.startAgents(List.of(single), b -> b.port(AgentSettings.DEFAULT_PORT));
            cluster.startAgents(fleet, b -> b.port(AgentSettings.DEFAULT_PORT));
            List<String> all = new ArrayList<>(fleet);
            all.add(single);
            cluster.awaitOnline(all, Duration.ofSeconds(60));
            ElvesApiClient api = new ElvesApiClient(new ApiTarget(URI.create(cluster.apiUrl()), cluster.authId(), cluster.authKey()));

            System.out.printf("# Elves realtime benchmark (%d cores, Java %s)%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            latency(api, single, o.get("warmup"), o.get("calls"));
            throughput(api, single, o.get("concurrency"), o.get("seconds"));
            fanOut(api, fleet, "shelltest", "noop", o.get("rounds"));
            fanOut(api, fleet, "apptest", "helloword", o.get("rounds"));
        }
        System.exit(0);
    }

    private static void latency(ElvesApiClient api, String ip, int warmup, int calls) {
        for (int i = 0; i < warmup; i++) {
            check(noop(api, ip));
        }
        long[] micros = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            check(noop(api, ip));
            micros[i] = (System.nanoTime() - t) / 1000;
        }
        Arrays.sort(micros);
        System.out.printf("realtime latency, no-op shell worker, %d sequential calls: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                calls, pct(micros, 50), pct(micros, 90), pct(micros, 99), micros[calls - 1] / 1000.0);
    }

    private static void throughput(ElvesApiClient api, String ip, int callers, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    ApiResponse r = noop(api, ip);
                    if (r.ok() && "1".equals(r.resultText("worker_flag"))) {
                        done.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("realtime throughput, no-op shell worker, %d concurrent callers, %d s: %.0f calls/s, %d errors%n",
                callers, seconds, done.get() / (double) seconds, errors.get());
    }

    private static void fanOut(ElvesApiClient api, List<String> fleet, String app, String func, int rounds) {
        double[] seconds = new double[rounds];
        int failures = 0;
        for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            List<CompletableFuture<ApiResponse>> calls = new ArrayList<>();
            for (String ip : fleet) {
                calls.add(api.callAsync("/api/v2/rt/exec", Map.of("ip", ip, "app", app, "func", func,
                        "param", "{\"my\":\"fan-out\"}", "timeout", "30"), Duration.ofSeconds(60)));
            }
            for (CompletableFuture<ApiResponse> c : calls) {
                ApiResponse resp = c.join();
                if (!resp.ok() || !"1".equals(resp.resultText("worker_flag"))) {
                    failures++;
                }
            }
            seconds[r] = (System.nanoTime() - t) / 1e9;
        }
        Arrays.sort(seconds);
        System.out.printf("fan-out of one call to %d agents, %s.%s: median %.3f s, best %.3f s over %d rounds, %d failed calls%n",
                fleet.size(), app, func, seconds[rounds / 2], seconds[0], rounds, failures);
    }
}
