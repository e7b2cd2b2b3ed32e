package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4 item 5: the Queue and the Scheduler run as their own processes and each is killed
 * (SIGKILL) and started again while a 1,000-task queue runs on 10 real agents (127.0.0.81-90);
 * Heartbeat and OpenAPI stay in this JVM. Every task ends in exactly one terminal state, the
 * result is complete, and the agents' own log (each run appends its task's label to a file per
 * agent) shows no task ran twice and every finished task ran once.
 */
// a hang guard: about 70 s on a quiet 2-core machine, more when it is shared
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QueueCrashRecoveryTest {
    private static final String APP = "crashapp";
    private static final int CHAINS = 5;
    private static final int CHAIN_LENGTH = 20;
    private static final int FAN_OUT = 900;
    /** In chain 0 this link fails: the rest of that chain ends skipped (stopped, marked skipped). */
    private static final int FAILING_LINK = 10;

    @Test
    void killingQueueAndSchedulerMidQueueLosesNothingAndRunsNothingTwice() throws Exception {
        long t0 = System.nanoTime();
        List<String> machines = new ArrayList<>();
        for (int i = 81; i <= 90; i++) {
            machines.add("127.0.0." + i);
        }
        try (LocalCluster cluster = LocalCluster.builder().components(List.of(Component.HEARTBEAT, Component.OPENAPI))
                .start()) {
            RunLog runs = RunLog.create();
            Path apps = cluster.agentSettings(machines.get(0)).build().appsDir();
            // each run appends its param {"t":label} (base64, as the agent passes it)
            LabelledTasks.writeWorker(apps.resolve(APP), runs, "0.2");
            List<String> queueArgs = args(cluster, "queue");
            List<String> schedulerArgs = args(cluster, "scheduler");
            List<JavaProcess> processes = new ArrayList<>();
            try {
                JavaProcess queue = start(processes, "queue", queueArgs);
                JavaProcess scheduler = start(processes, "scheduler", schedulerArgs);
                cluster.startAgents(machines, b -> b);
                cluster.awaitOnline(machines, Duration.ofSeconds(20));
                queue.awaitOutput("Elves center started", Duration.ofSeconds(60));
                scheduler.awaitOutput("Elves center started", Duration.ofSeconds(60));
                Api api = Api.of(cluster);
                phase(t0, "center processes and agents up");

                // 5 chains of 20 and 900 independent tasks; labels map to task ids
                String q = call(api, "create", Map.of("app", APP)).resultText("id");
                Map<String, String> labelOf = new ConcurrentHashMap<>();
                Map<String, String> expected = new ConcurrentHashMap<>();
                ExecutorService adders = Executors.newFixedThreadPool(8);
                List<Future<?>> added = new ArrayList<>();
                for (int c = 0; c < CHAINS; c++) {
                    int chain = c;
                    added.add(adders.submit(() -> {
                        String parent = "";
                        for (int i = 0; i < CHAIN_LENGTH; i++) {
                            String label = (chain == 0 && i == FAILING_LINK ? "fail-" : "chain-") + chain + "-" + i;
                            parent = LabelledTasks.add(api, q, machines.get((chain + i) % machines.size()), label, parent, labelOf);
                            expected.put(parent, chain == 0 && i > FAILING_LINK ? "skipped" : "finish");
                        }
                        return null;
                    }));
                }
                for (int t = 0; t < 3; t++) {
                    int thread = t;
                    added.add(adders.submit(() -> {
                        for (int i = thread; i < FAN_OUT; i += 3) {
                            expected.put(LabelledTasks.add(api, q, machines.get(i % machines.size()), "fan-" + i, "", labelOf), "finish");
                        }
                        return null;
                    }));
                }
                for (Future<?> f : added) {
                    f.get(60, TimeUnit.SECONDS);
                }
                adders.shutdown();
                assertEquals(CHAINS * CHAIN_LENGTH + FAN_OUT, expected.size());
                phase(t0, "1,000 tasks added");
                ApiResponse committed = call(api, "commit", Map.of("queue_id", q));
                assertTrue(committed.ok(), committed.error());

                // the Queue dies once tasks flow, and starts again at once
                runs.awaitCount(120, Duration.ofSeconds(30));
                queue.kill();
                queue.awaitExit(Duration.ofSeconds(10));
                int atQueueKill = runs.count();
                phase(t0, "Queue killed after " + atQueueKill + " runs");
                queue = start(processes, "queue", queueArgs);
                queue.awaitOutput("Elves center started", Duration.ofSeconds(60));
                phase(t0, "Queue started again (" + runs.count() + " runs)");

                // later the Scheduler
                runs.awaitCount(atQueueKill + 150, Duration.ofSeconds(30));
                scheduler.kill();
                scheduler.awaitExit(Duration.ofSeconds(10));
                int atSchedulerKill = runs.count();
                phase(t0, "Scheduler killed after " + atSchedulerKill + " runs");
                scheduler = start(processes, "scheduler", schedulerArgs);
                scheduler.awaitOutput("Elves center started", Duration.ofSeconds(60));
                phase(t0, "Scheduler started again (" + runs.count() + " runs)");
                assertTrue(atSchedulerKill < expected.size(), "the Scheduler was killed mid-queue: " + atSchedulerKill);

                JsonNode result = awaitTerminal(api, q, Duration.ofSeconds(60));
                phase(t0, "all terminal (" + runs.count() + " runs)");
                Map<String, Integer> ranTimes = LabelledTasks.ranTimes(runs);
                assertEquals(expected.size(), result.size(), "every task in the result");
                for (Map.Entry<String, String> e : expected.entrySet()) {
                    String id = e.getKey();
                    JsonNode task = result.get(id);
                    String label = labelOf.get(id);
                    int ran = ranTimes.getOrDefault(label, 0);
                    if (e.getValue().equals("finish")) {
                        assertEquals("finish", task.get("status").asText(), label + ": " + task);
                        assertEquals(1, ran, label + " ran once: " + task);
                        assertEquals(label.startsWith("fail") ? "0" : "1", task.get("worker_flag").asText(), label + ": " + task);
                    } else {
                        // the reference's terminal stopped, which original clients know; marked skipped
                        assertEquals("stopped", task.get("status").asText(), label + ": " + task);
                        assertEquals("true", task.path("skipped").asText(), label + ": " + task);
                        assertEquals(0, ran, label + " never ran: " + task);
                    }
                }
                int total = ranTimes.values().stream().mapToInt(Integer::intValue).sum();
                assertEquals(expected.size() - (CHAIN_LENGTH - FAILING_LINK - 1), total, "runs in all");
                System.out.printf("crash recovery: Queue killed after %d runs, Scheduler after %d; all %d tasks terminal%n",
                        atQueueKill, atSchedulerKill, expected.size());
            } finally {
                for (JavaProcess p : processes) {
                    // what recovery did, for the test's log
                    p.output().lines().filter(l -> l.contains("sent again") || l.contains(" ERROR "))
                            .limit(20).forEach(System.out::println);
                    p.close();
                }
            }
        }
    }

    private static void phase(long t0, String what) {
        System.out.printf("%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, what);
    }

    private static List<String> args(LocalCluster cluster, String component) {
        List<String> args = new ArrayList<>(List.of("--components", component));
        cluster.sharedSettings().forEach((k, v) -> args.add("-D" + k + "=" + v));
        // quick recovery for a bounded test: silent tasks sent again after 3 s, sweeps every 0.5 s
        args.add("-Delves.queue.resend-seconds=3");
        args.add("-Delves.queue.sweep-ms=500");
        return args;
    }

    private static JavaProcess start(List<JavaProcess> processes, String component, List<String> args) throws Exception {
        JavaProcess p = JavaProcess.start(component, Map.of(), "org.elves.center.CenterCommand", args);
        processes.add(p);
        return p;
    }

    private static ApiResponse call(Api api, String endpoint, Map<String, String> params) {
        return api.call("/api/v2/queue/" + endpoint, params);
    }

    /** Polls /queue/result until no task is pendding or running. */
    private static JsonNode awaitTerminal(Api api, String q, Duration limit) throws InterruptedException {
        return api.queueResultWhen(q, Api::allTerminal, limit);
    }
}
