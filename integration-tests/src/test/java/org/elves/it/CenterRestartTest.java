package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 4: the whole center (one process) is restarted, as an operator does, under a
 * running queue, while its agents stay up and heartbeat only every 5 s. The restarted center sends
 * the queue's next tasks, and answers a realtime call, before any agent has told the new Heartbeat
 * it is there; none of them fails with [414.1]/[414.2], every task ends `finish` with its worker's
 * result and ran once.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CenterRestartTest {
    private static final String APP = "restartworker";
    private static final int TASKS = 40;

    @Test
    void aCenterRestartedUnderAQueueFailsNoTaskForWantOfAHeartbeat() throws Exception {
        List<String> machines = List.of("127.0.0.71", "127.0.0.72", "127.0.0.73", "127.0.0.74");
        try (LocalCluster cluster = LocalCluster.builder().components(List.of()).agentHeartbeatSeconds(5).start()) {
            RunLog runs = RunLog.create();
            Path apps = cluster.agentSettings(machines.get(0)).build().appsDir();
            ShellApps.write(apps.resolve(APP), runs.recordRun()
                    + "sleep 0.5\n"
                    + "echo \"<ElvesWFlag>true</ElvesWFlag><ElvesWResult>ran $(echo \"$3\" | base64 -d)</ElvesWResult>\"\n");
            List<String> args = new ArrayList<>(List.of("--components", "scheduler,heartbeat,openapi,queue"));
            cluster.sharedSettings().forEach((k, v) -> args.add("-D" + k + "=" + v));
            args.add("-Delves.queue.sweep-ms=500");
            List<JavaProcess> centers = new ArrayList<>();
            try {
                JavaProcess center = start(centers, args);
                cluster.startAgents(machines, b -> b);
                Api api = Api.of(cluster);
                for (String ip : machines) {
                    awaitRealtime(api, ip);
                }

                ApiResponse created = api.call("/api/v2/queue/create", Map.of("app", APP));
                assertTrue(created.ok(), created.error());
                String queue = created.resultText("id");
                Map<String, String> labelOf = new LinkedHashMap<>();
                for (int i = 0; i < TASKS; i++) {
                    Map<String, String> task = new LinkedHashMap<>();
                    task.put("queue_id", queue);
                    task.put("ip", machines.get(i % machines.size()));
                    task.put("func", "work");
                    task.put("param", "{\"t\":" + i + "}");
                    task.put("timeout", "30");
                    ApiResponse added = api.call("/api/v2/queue/addtask", task);
                    assertTrue(added.ok(), added.error());
                    labelOf.put(added.resultText("id"), "{\"t\":" + i + "}");
                }
                ApiResponse committed = api.call("/api/v2/queue/commit", Map.of("queue_id", queue));
                assertTrue(committed.ok(), committed.error());

                // a few tasks done, the operator restarts the center; agents keep running
                int probes = runs.count();
                runs.awaitCount(probes + 8, Duration.ofSeconds(30));
                long stopping = System.nanoTime();
                center.terminate();
                center.awaitExit(Duration.ofSeconds(10));
                System.out.printf("center stopped in %d ms after %d runs%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping), runs.count() - probes);
                start(centers, args);
                // a realtime call at once: its agent has not told the new Heartbeat it is there yet
                long asked = System.nanoTime();
                ApiResponse rt = api.rt(machines.get(0), APP, "work", "{\"t\":\"right after the restart\"}", 10);
                assertTrue(rt.ok(), rt.error());
                assertEquals("ran {\"t\":\"right after the restart\"}", rt.resultText("worker_message"));
                System.out.printf("realtime call right after the restart answered in %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));

                JsonNode result = api.queueResultWhen(queue, Api::allTerminal, Duration.ofSeconds(90));
                Map<String, Integer> ranTimes = runs.timesByParam();
                for (Iterator<JsonNode> it = result.elements(); it.hasNext(); ) {
                    JsonNode task = it.next();
                    String label = labelOf.get(task.get("id").asText());
                    assertFalse(task.get("error").asText().startsWith("[414"), label + " failed for want of a heartbeat: " + task);
                    assertEquals("finish", task.get("status").asText(), label + ": " + task);
                    assertEquals("1", task.get("worker_flag").asText(), label + ": " + task);
                    assertEquals("ran " + label, task.get("worker_message").asText(), label + ": " + task);
                    assertEquals(1, ranTimes.getOrDefault(label, 0), label + " ran once");
                }
                assertEquals(TASKS, result.size());
            } finally {
                for (JavaProcess p : centers) {
                    p.output().lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN ") || l.contains("warm") || l.contains("top")).limit(60)
                            .forEach(System.out::println);
                    p.close();
                }
            }
        }
    }

    private static JavaProcess start(List<JavaProcess> centers, List<String> args) throws Exception {
        JavaProcess center = JavaProcess.start("center", Map.of(), "org.elves.center.CenterCommand", args);
        centers.add(center);
        center.awaitOutput("Elves center started", Duration.ofSeconds(60));
        return center;
    }

    private static void awaitRealtime(Api api, String ip) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ApiResponse r;
        do {
            r = api.rt(ip, APP, "work", "{\"t\":\"probe\"}", 10);
            if (r.ok()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(ip + " not ready: " + r.error());
    }
}
