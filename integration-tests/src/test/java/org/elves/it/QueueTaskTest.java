package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queues through the signed API, the whole center in one JVM, real agents on 127.0.0.51-53, the
 * real RabbitMQ: dependencies run in order, a failure skips its dependents, stop cancels what was
 * not sent and kills what runs, and the reference's codes for wrong requests.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueTaskTest {
    private static final List<String> MACHINES = List.of("127.0.0.51", "127.0.0.52", "127.0.0.53");
    private static final String APP = "clockapp";
    private static LocalCluster cluster;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().components(List.of(Component.values())).start();
        Path apps = cluster.agentSettings(MACHINES.get(0)).build().appsDir();
        // work: its start and end time (ms) as message; fail: flag false; long: 60 s,
        // its pid in long.pid (the worker's dir)
        ShellApps.write(apps.resolve(APP), """
                start=$(date +%s%3N)
                case "$2" in
                  fail) echo '<ElvesWFlag>false</ElvesWFlag><ElvesWResult>it failed</ElvesWResult>' ;;
                  long) echo $$ > long.pid.tmp; mv long.pid.tmp long.pid; sleep 60
                        echo '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>long done</ElvesWResult>' ;;
                  *) sleep 0.3; echo "<ElvesWFlag>true</ElvesWFlag><ElvesWResult>$start $(date +%s%3N)</ElvesWResult>" ;;
                esac
                """);
        cluster.startAgents(MACHINES, b -> b);
        cluster.awaitOnline(MACHINES, Duration.ofSeconds(15));
        api = Api.of(cluster);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aChainRunsInDependencyOrderBesideAnIndependentTask() throws Exception {
        String q = create();
        String a = add(q, "127.0.0.51", "work", "");
        String b = add(q, "127.0.0.52", "work", a);
        String c = add(q, "127.0.0.53", "work", b);
        String d = add(q, "127.0.0.53", "work", "");
        ApiResponse committed = call("commit", Map.of("queue_id", q));
        assertTrue(committed.ok(), committed.error());
        JsonNode result = awaitTerminal(q);
        for (String id : List.of(a, b, c, d)) {
            JsonNode task = result.get(id);
            assertEquals("finish", task.get("status").asText(), task.toString());
            assertEquals("true", task.get("flag").asText());
            assertEquals("1", task.get("worker_flag").asText());
            assertEquals(id, task.get("id").asText());
        }
        assertEquals(a, result.get(b).get("depend_task_id").asText());
        assertEquals("", result.get(d).get("depend_task_id").asText());
        assertTrue(start(result, b) >= end(result, a), "B started after A ended: " + result);
        assertTrue(start(result, c) >= end(result, b), "C started after B ended: " + result);
        // D did not wait for the chain
        assertTrue(start(result, d) < end(result, b), "D ran beside the chain: " + result);
    }

    @Test
    void aFailedTasksDependentsAreSkippedAndNeverRun() throws Exception {
        String q = create();
        String a = add(q, "127.0.0.51", "fail", "");
        String b = add(q, "127.0.0.52", "work", a);
        String c = add(q, "127.0.0.53", "work", b);
        assertTrue(call("commit", Map.of("queue_id", q)).ok());
        // polled as an original client polls: until every task is finish or stopped
        JsonNode result = api.queueResultWhen(q, QueueTaskTest::finishOrStopped, Duration.ofSeconds(30));
        assertEquals("finish", result.get(a).get("status").asText());
        assertEquals("0", result.get(a).get("worker_flag").asText());
        assertEquals("it failed", result.get(a).get("worker_message").asText());
        assertTrue(result.get(a).path("skipped").isMissingNode(), "the mark is on skipped tasks only");
        for (String skipped : List.of(b, c)) {
            assertEquals("stopped", result.get(skipped).get("status").asText(), result.toString());
            assertEquals("true", result.get(skipped).get("skipped").asText(), result.toString());
            assertEquals("", result.get(skipped).get("worker_message").asText(), "never ran");
        }
        assertEquals("[412.3]Stop Task Error: skipped: depend task " + a + " failed", result.get(b).get("error").asText());
        assertEquals("[412.3]Stop Task Error: skipped: depend task " + b + " was skipped", result.get(c).get("error").asText());
    }

    private static boolean finishOrStopped(JsonNode result) {
        for (JsonNode task : result) {
            if (!List.of("finish", "stopped").contains(task.get("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stop: the task not sent ends stopped and never runs; the running one is killed on its agent
     * (AgentService.instructionCancel), process and all, and its result "-1 app exec cancelled"
     * is recorded like any other, so the queue's result is complete within seconds.
     */
    @Test
    void stopCancelsTasksNotSentAndKillsTheRunningOne() throws Exception {
        Path pidFile = cluster.agentSettings(MACHINES.get(0)).build().appsDir().resolve(APP).resolve("long.pid");
        Files.deleteIfExists(pidFile);
        String q = create();
        Map<String, String> longTask = task(q, "127.0.0.52", "long", "");
        // far beyond the test: only the cancel can end it early
        longTask.put("timeout", "90");
        ApiResponse added = call("addtask", longTask);
        assertTrue(added.ok(), added.error());
        String a = added.resultText("id");
        String b = add(q, "127.0.0.53", "work", a);
        assertTrue(call("commit", Map.of("queue_id", q)).ok());
        long pid = awaitPid(pidFile);
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "the long worker runs");

        long stoppedAt = System.nanoTime();
        ApiResponse stopped = call("stop", Map.of("queue_id", q));
        assertTrue(stopped.ok(), stopped.error());
        // the answer is the state at the stop: the sent task is still running then
        assertEquals("running", stopped.result().get(a).asText());
        assertEquals("stopped", stopped.result().get(b).asText());

        JsonNode result = awaitTerminal(q);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
        assertTrue(tookMs < 10_000, "cancelled in " + tookMs + " ms, not run to its end: " + result);
        JsonNode cancelled = result.get(a);
        assertEquals("finish", cancelled.get("status").asText(), cancelled.toString());
        assertEquals("-1", cancelled.get("worker_flag").asText(), cancelled.toString());
        assertEquals("app exec cancelled", cancelled.get("worker_message").asText(), cancelled.toString());
        // the dependent was pendding at the stop: it ends stopped (not skipped) and never runs
        assertEquals("stopped", result.get(b).get("status").asText());
        assertEquals("", result.get(b).get("worker_message").asText());
        assertTrue(result.get(b).path("skipped").isMissingNode(), "ended by the stop, not skipped: " + result.get(b));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(!Files.exists(Path.of("/proc/" + pid)), "worker process " + pid + " is gone");
    }

    private static long awaitPid(Path pidFile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(pidFile), "the long worker did not start");
        return Long.parseLong(Files.readString(pidFile).trim());
    }

    @Test
    void wrongRequestsAnswerTheReferenceCodes() {
        assertEquals("412.1", code(call("addtask", task("0123456789ABCDEF", "127.0.0.51", "work", ""))));
        assertEquals("403.6", code(call("addtask", task("nope", "127.0.0.51", "work", ""))));
        assertEquals("412.1", code(call("result", Map.of("queue_id", "0123456789ABCDEF"))));
        String q = create();
        assertEquals("403.1", code(call("addtask", task(q, "300.0.0.1", "work", ""))));
        assertEquals("403.7", code(call("addtask", task(q, "127.0.0.51", "", ""))));
        assertEquals("412.4", code(call("addtask", task(q, "127.0.0.51", "work", "0123456789ABCDEF"))));
        Map<String, String> badMode = task(q, "127.0.0.51", "work", "");
        badMode.put("mode", "X");
        assertEquals("403.4", code(call("addtask", badMode)));
        assertEquals("412.2", code(call("commit", Map.of("queue_id", q))), "an empty queue");
        assertEquals("403.3", code(call("create", Map.of())));
    }

    @Test
    void aQuickQueueRunsItsOneTask() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ip", "127.0.0.53");
        params.put("app", APP);
        params.put("func", "work");
        params.put("timeout", "10");
        ApiResponse quick = call("qksqueue", params);
        assertTrue(quick.ok(), quick.error());
        String q = quick.resultText("id");
        String task = quick.resultText("task_id");
        JsonNode result = awaitTerminal(q);
        assertEquals("finish", result.get(task).get("status").asText());
        assertEquals("1", result.get(task).get("worker_flag").asText());
        // committed already
        assertEquals("412.2", code(call("addtask", task(q, "127.0.0.53", "work", ""))));
    }

    private static String create() {
        ApiResponse r = call("create", Map.of("app", APP));
        assertTrue(r.ok(), r.error());
        return r.resultText("id");
    }

    private static String add(String queue, String ip, String func, String dependsOn) {
        ApiResponse r = call("addtask", task(queue, ip, func, dependsOn));
        assertTrue(r.ok(), r.error());
        return r.resultText("id");
    }

    private static Map<String, String> task(String queue, String ip, String func, String dependsOn) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("queue_id", queue);
        params.put("ip", ip);
        params.put("func", func);
        params.put("timeout", "10");
        if (!dependsOn.isEmpty()) {
            params.put("depend_task_id", dependsOn);
        }
        return params;
    }

    private static ApiResponse call(String endpoint, Map<String, String> params) {
        return api.call("/api/v2/queue/" + endpoint, params);
    }

    private static String code(ApiResponse r) {
        String error = r.error();
        return error.startsWith("[") ? error.substring(1, error.indexOf(']')) : error;
    }

    /** Polls /queue/result as a user would, until no task is pendding or running. */
    private static JsonNode awaitTerminal(String queue) throws InterruptedException {
        return api.queueResultWhen(queue, Api::allTerminal, Duration.ofSeconds(30));
    }

    private static long start(JsonNode result, String task) {
        return Long.parseLong(result.get(task).get("worker_message").asText().split(" ")[0]);
    }

    private static long end(JsonNode result, String task) {
        return Long.parseLong(result.get(task).get("worker_message").asText().split(" ")[1]);
    }
}
