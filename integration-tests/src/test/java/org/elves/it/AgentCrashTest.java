package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 3: an agent (its own JVM, as on a real machine) is killed with SIGKILL while it
 * runs a queue task. Started again at once, as its service manager would, it does not run the
 * task a second time when the Queue sends it again, and the task ends with the result its worker
 * really had. Left down, the task ends with [410.3] Agent Lost While Running, not "send failed".
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentCrashTest {
    private static final String IP = "127.0.0.61";
    private static final String APP = "crashworker";

    @Test
    void anAgentKilledMidTaskAndStartedAgainRunsItOnceAndReportsItsRealResult() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder()
                // the Queue asks again every second: the re-sends hit the dead and the restarted agent
                .setting("elves.queue.resend-seconds", "1")
                .setting("elves.queue.sweep-ms", "300")
                .setting("elves.queue.result-margin-seconds", "3")
                .start()) {
            Path runs = Files.createTempDirectory("elves-runs");
            Path apps = cluster.agentSettings(IP).build().appsDir();
            // each run appends its label, works for as many seconds as the param says, then answers
            ShellApps.write(apps.resolve(APP), "label=$(echo \"$3\" | base64 -d | sed 's/.*\"t\":\"\\([^\"]*\\)\".*/\\1/')\n"
                    + "echo \"$label\" >> '" + runs + "/runs'\n"
                    + "sleep $(echo \"$3\" | base64 -d | sed 's/.*\"s\":\\([0-9]*\\).*/\\1/')\n"
                    + "echo \"<ElvesWFlag>true</ElvesWFlag><ElvesWResult>done $label</ElvesWResult>\"\n");
            Path state = Files.createTempDirectory("elves-agent-state");
            int port = freePort();
            Api api = Api.of(cluster);
            List<JavaProcess> agents = new ArrayList<>();
            try {
                JavaProcess agent = startAgent(agents, cluster, apps, state, port);
                awaitAgent(api);

                // killed 1 s into a 4 s task, started again 1.5 s later
                String queue = queueOf(api, "restarted", 4, 30);
                awaitLines(runs, 1, Duration.ofSeconds(20));
                Thread.sleep(1000);
                agent.kill();
                agent.awaitExit(Duration.ofSeconds(10));
                Thread.sleep(1500);
                startAgent(agents, cluster, apps, state, port);
                JsonNode task = onlyTask(api.queueResultWhen(queue, Api::allTerminal, Duration.ofSeconds(40)));
                assertEquals("finish", task.get("status").asText(), task.toString());
                assertEquals("1", task.get("worker_flag").asText(), task.toString());
                assertEquals("done restarted", task.get("worker_message").asText(), task.toString());
                assertEquals(List.of("restarted"), runLines(runs), "the task ran once");

                // killed during a 6 s task with a 3 s timeout and left down: the agent was lost
                agent = agents.get(agents.size() - 1);
                String lost = queueOf(api, "lost", 6, 3);
                awaitLines(runs, 2, Duration.ofSeconds(20));
                agent.kill();
                agent.awaitExit(Duration.ofSeconds(10));
                task = onlyTask(api.queueResultWhen(lost, Api::allTerminal, Duration.ofSeconds(40)));
                assertEquals("finish", task.get("status").asText(), task.toString());
                assertEquals("-1", task.get("worker_flag").asText(), task.toString());
                assertTrue(task.get("error").asText().startsWith("[410.3]"), task.toString());
                assertEquals(List.of("restarted", "lost"), runLines(runs), "each task ran once");
            } finally {
                for (JavaProcess p : agents) {
                    p.output().lines().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("adopt"))
                            .limit(20).forEach(System.out::println);
                    p.kill();
                }
            }
        }
    }

    private static JavaProcess startAgent(List<JavaProcess> agents, LocalCluster cluster, Path apps, Path state, int port)
            throws Exception {
        JavaProcess agent = JavaProcess.start("agent", Map.of(), "org.elves.agent.AgentMain", List.of(
                "--ip", IP, "--bind", IP, "--port", String.valueOf(port), "--apps-dir", apps.toString(),
                "--state-dir", state.toString(), "--heartbeat", "127.0.0.1:" + cluster.heartbeatPort(),
                "--scheduler", "127.0.0.1:" + cluster.schedulerPort(), "--interval", "1", "--authips", "127.0.0.1"));
        agents.add(agent);
        agent.awaitOutput("listening on", Duration.ofSeconds(30));
        return agent;
    }

    /** The agent answers a realtime call: it is known to the center and serves tasks. */
    private static void awaitAgent(Api api) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ApiResponse r;
        do {
            r = api.rt(IP, APP, "work", "{\"t\":\"probe\",\"s\":0}", 10);
            if (r.ok()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("agent not ready: " + r.error());
    }

    private static String queueOf(Api api, String label, int seconds, int timeout) {
        ApiResponse created = api.call("/api/v2/queue/create", Map.of("app", APP));
        assertTrue(created.ok(), created.error());
        String queue = created.resultText("id");
        Map<String, String> task = new LinkedHashMap<>();
        task.put("queue_id", queue);
        task.put("ip", IP);
        task.put("func", "work");
        task.put("param", "{\"t\":\"" + label + "\",\"s\":" + seconds + "}");
        task.put("timeout", String.valueOf(timeout));
        ApiResponse added = api.call("/api/v2/queue/addtask", task);
        assertTrue(added.ok(), added.error());
        ApiResponse committed = api.call("/api/v2/queue/commit", Map.of("queue_id", queue));
        assertTrue(committed.ok(), committed.error());
        return queue;
    }

    private static JsonNode onlyTask(JsonNode result) {
        assertEquals(1, result.size(), result.toString());
        return result.elements().next();
    }

    /** Waits until the runs file (the probe's line excluded) has {@code count} lines. */
    private static void awaitLines(Path runs, int count, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Path file = runs.resolve("runs");
            if (Files.exists(file) && runLines(runs).size() >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " runs within " + limit);
    }

    /** The labels of the runs, in order, without the readiness probe's. */
    private static List<String> runLines(Path runs) throws Exception {
        return Files.readAllLines(runs.resolve("runs")).stream().filter(l -> !l.equals("probe")).toList();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
