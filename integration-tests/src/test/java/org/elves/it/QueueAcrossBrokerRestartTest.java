package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, the queue's side of a broker restart: a queue of tasks that each take two seconds and
 * record their runs is in flight when RabbitMQ goes away ({@code stop_app}, then in a second round
 * a full stop of the node) and comes back a few seconds later. Results that came due meanwhile are
 * kept (by the agents, which report until the center takes them) and arrive after the return;
 * the Queue's re-sends during the outage run nothing twice. Every task ends {@code finish} with
 * the result its worker really had, dependents included, and ran exactly once. The broker is this
 * test's own node ({@link PrivateRabbit}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QueueAcrossBrokerRestartTest {
    private static final List<String> MACHINES = List.of("127.0.0.241", "127.0.0.242", "127.0.0.243");
    private static final int MQ_PORT = 5681;
    private static final String APP = "slowapp";
    private static final int ROOTS = 9;

    @Test
    void aQueueInFlightAcrossBrokerRestartsLosesNoResultAndRunsNothingTwice() throws Exception {
        try (PrivateRabbit rabbit = PrivateRabbit.start("elves-queue-it", MQ_PORT, 25681);
             LocalCluster cluster = LocalCluster.builder().components(List.of(Component.values()))
                     .setting("elves.mq.port", String.valueOf(MQ_PORT))
                     // re-sends while the broker is away and right after it is back
                     .setting("elves.queue.resend-seconds", "2")
                     .setting("elves.queue.sweep-ms", "300")
                     .start()) {
            RunLog runs = RunLog.create();
            Path apps = cluster.agentSettings(MACHINES.get(0)).build().appsDir();
            ShellApps.write(apps.resolve(APP), "label=$(echo \"$3\" | base64 -d)\n"
                    + runs.recordRun()
                    + "sleep 2\n"
                    + "echo \"<ElvesWFlag>true</ElvesWFlag><ElvesWResult>done $label</ElvesWResult>\"\n");
            cluster.startAgents(MACHINES, b -> b);
            cluster.awaitOnline(MACHINES, Duration.ofSeconds(15));
            Api api = Api.of(cluster);

            round("stop_app/start_app", api, runs, "a", () -> rabbit.ctl("stop_app"), () -> rabbit.ctl("start_app"));
            round("node stop/start", api, runs, "b", () -> rabbit.ctl("stop"), rabbit::startServer);
        }
    }

    /**
     * A queue of {@value #ROOTS} roots and one dependent per root; the broker goes away once some
     * roots run and comes back four seconds later; then every task must have its real result.
     */
    private static void round(String how, Api api, RunLog runs, String prefix, Step stop, Step start) throws Exception {
        ApiResponse created = api.call("/api/v2/queue/create", Map.of("app", APP));
        assertTrue(created.ok(), created.error());
        String queue = created.resultText("id");
        Map<String, String> labelOf = new LinkedHashMap<>();
        for (int i = 0; i < ROOTS; i++) {
            String ip = MACHINES.get(i % MACHINES.size());
            String root = add(api, queue, ip, prefix + "-root-" + i, "", labelOf);
            add(api, queue, ip, prefix + "-child-" + i, root, labelOf);
        }
        ApiResponse committed = api.call("/api/v2/queue/commit", Map.of("queue_id", queue));
        assertTrue(committed.ok(), committed.error());
        int before = runs.count();
        runs.awaitCount(before + 3, Duration.ofSeconds(20));

        stop.run();
        long down = System.nanoTime();
        int atStop = runs.count() - before;
        Thread.sleep(4000);
        start.run();
        long back = System.nanoTime();
        JsonNode result = api.queueResultWhen(queue, Api::allTerminal, Duration.ofSeconds(90));
        long done = System.nanoTime();

        Map<String, Integer> ranTimes = runs.timesByParam();
        for (Iterator<JsonNode> it = result.elements(); it.hasNext(); ) {
            JsonNode task = it.next();
            String label = labelOf.get(task.get("id").asText());
            assertEquals("finish", task.get("status").asText(), label + ": " + task);
            assertEquals("true", task.get("flag").asText(), label + ": " + task);
            assertEquals("1", task.get("worker_flag").asText(), label + ": " + task);
            assertEquals("done " + param(label), task.get("worker_message").asText(), label + ": " + task);
            assertEquals(1, ranTimes.getOrDefault(param(label), 0), label + " ran once");
        }
        assertEquals(2 * ROOTS, result.size());
        System.out.printf("queue across %s: %d runs before the stop, broker down %.1f s, all %d tasks finished %.1f s"
                        + " after its return, none lost, none run twice%n", how, atStop,
                (back - down) / 1e9, result.size(), (done - back) / 1e9);
    }

    private static String add(Api api, String queue, String ip, String label, String parent, Map<String, String> labelOf) {
        Map<String, String> task = new LinkedHashMap<>();
        task.put("queue_id", queue);
        task.put("ip", ip);
        task.put("func", "work");
        task.put("param", param(label));
        task.put("timeout", "60");
        if (!parent.isEmpty()) {
            task.put("depend_task_id", parent);
        }
        ApiResponse added = api.call("/api/v2/queue/addtask", task);
        assertTrue(added.ok(), added.error());
        labelOf.put(added.resultText("id"), label);
        return added.resultText("id");
    }

    /** The task's param: its label as JSON, which the worker echoes and records. */
    private static String param(String label) {
        return "{\"t\":\"" + label + "\"}";
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
