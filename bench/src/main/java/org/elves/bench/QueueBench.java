package org.elves.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.agent.config.AgentSettings;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.elves.standalone.LocalCluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Queue figures of design §7 (issue 4): a queue of {@code --tasks} tasks over {@code --agents}
 * agents with a no-op shell worker, one dependency chain of {@code --chain} tasks and the rest
 * fanned out; time from commit to every task terminal and tasks per second, over
 * {@code --rounds} queues. The whole center in one JVM with the agents, the real RabbitMQ.
 */
public final class QueueBench {

    public static void main(String[] args) throws Exception {
        org.elves.protocol.JvmDefaults.apply();
        Map<String, Integer> o = Options.parse(args, Map.of("tasks", 1000, "chain", 20, "agents", 20, "rounds", 3));
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < o.get("agents"); i++) {
            fleet.add("127.0.2." + (1 + i));
        }
        try (LocalCluster cluster = LocalCluster.builder().components(List.of(Component.values()))
                .agentHeartbeatSeconds(10).start()) {
            cluster.startAgents(fleet, b -> b.port(AgentSettings.DEFAULT_PORT));
            cluster.awaitOnline(fleet, Duration.ofSeconds(60));
            ElvesApiClient api = new ElvesApiClient(new ApiTarget(URI.create(cluster.apiUrl()), cluster.authId(), cluster.authKey()));
            System.out.printf("# Elves queue benchmark (%d cores, Java %s): %d tasks (chain of %d, the rest fanned out) over %d agents, "
                            + "no-op shell worker, %d per agent at once%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), o.get("tasks"),
                    o.get("chain"), fleet.size(), cluster.config().requireInt("elves.queue.agent-concurrency"));
            for (int round = 1; round <= o.get("rounds"); round++) {
                run(api, fleet, o.get("tasks"), o.get("chain"), round);
            }
        }
        System.exit(0);
    }

    private static void run(ElvesApiClient api, List<String> fleet, int tasks, int chain, int round) throws Exception {
        String q = check(call(api, "create", Map.of("app", "shelltest"))).resultText("id");
        long addStart = System.nanoTime();
        ExecutorService adders = Executors.newFixedThreadPool(8);
        List<Future<?>> added = new ArrayList<>();
        added.add(adders.submit(() -> {
            String parent = "";
            for (int i = 0; i < chain; i++) {
                parent = add(api, q, fleet.get(i % fleet.size()), parent);
            }
            return null;
        }));
        for (int t = 0; t < 7; t++) {
            int thread = t;
            added.add(adders.submit(() -> {
                for (int i = chain + thread; i < tasks; i += 7) {
                    add(api, q, fleet.get(i % fleet.size()), "");
                }
                return null;
            }));
        }
        for (Future<?> f : added) {
            f.get();
        }
        adders.shutdown();
        double addSeconds = (System.nanoTime() - addStart) / 1e9;
        long committed = System.nanoTime();
        check(call(api, "commit", Map.of("queue_id", q)));
        JsonNode result;
        while (true) {
            result = check(call(api, "result", Map.of("queue_id", q))).result();
            boolean open = false;
            for (JsonNode task : result) {
                String status = task.get("status").asText();
                open |= status.equals("pendding") || status.equals("running");
            }
            if (!open) {
                break;
            }
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - committed) / 1e9;
        int ok = 0;
        for (JsonNode task : result) {
            ok += task.get("status").asText().equals("finish") && task.get("worker_flag").asText().equals("1") ? 1 : 0;
        }
        System.out.printf("round %d: commit to all %d terminal %.2f s, %.0f tasks/s, %d finished ok, %d not; adding took %.1f s%n",
                round, result.size(), seconds, result.size() / seconds, ok, result.size() - ok, addSeconds);
    }

    private static String add(ElvesApiClient api, String q, String ip, String parent) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("queue_id", q);
        params.put("ip", ip);
        params.put("func", "noop");
        params.put("timeout", "30");
        if (!parent.isEmpty()) {
            params.put("depend_task_id", parent);
        }
        return check(call(api, "addtask", params)).resultText("id");
    }

    private static ApiResponse call(ElvesApiClient api, String endpoint, Map<String, String> params) {
        return api.call("/api/v2/queue/" + endpoint, params, Duration.ofSeconds(60));
    }

    private static ApiResponse check(ApiResponse r) {
        if (!r.ok()) {
            throw new IllegalStateException(r.error());
        }
        return r;
    }
}
