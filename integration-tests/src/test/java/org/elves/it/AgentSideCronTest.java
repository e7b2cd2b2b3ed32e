package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.agent.ElvesAgent;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5 item 4: an agent-side cron (mode AANP) is added through the API; the center pushes it
 * to its agent, which runs it itself every second and reports each run. Then the whole center
 * stops: the agent keeps running the cron, its results wait in its outbox; the center starts
 * again on the same data, and the runs made while it was away arrive, each once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentSideCronTest {
    private static final String AGENT = "127.0.0.71";
    private static final String APP = "selfclock";

    @Test
    void theAgentRunsItsCronWhileTheCenterIsAwayAndReportsEveryRunLater() throws Exception {
        Path home = Files.createTempDirectory("elves-agent-cron");
        Path runs = home.resolve("runs.txt");
        LocalCluster.Builder shape = LocalCluster.builder().home(home).components(List.of(Component.values()))
                .namespace("elves-ac" + ProcessHandle.current().pid(), "ac" + ProcessHandle.current().pid() + "-")
                .apiPort(freePort()).heartbeatPort(freePort()).schedulerPort(freePort()).zookeeperPort(freePort())
                .agentHeartbeatSeconds(1).setting("elves.cron.history", "500");
        ElvesAgent agent = null;
        try {
            String id;
            long centerStopped;
            long centerBack;
            try (LocalCluster first = shape.start()) {
                ShellApps.write(first.agentSettings(AGENT).build().appsDir().resolve(APP),
                        "date +%s >> '" + runs + "'\necho '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>self</ElvesWResult>'\n");
                // the agent is not the cluster's: it outlives the center
                agent = ElvesAgent.start(first.agentSettings(AGENT).stateDir(home.resolve("agent-state")).build());
                first.awaitOnline(List.of(AGENT), Duration.ofSeconds(15));
                Api api = Api.of(first);
                ApiResponse added = api.call("/api/v2/cron/add", Map.of("ip", AGENT, "app", APP, "func", "tick",
                        "rule", "* * * * * ?", "side", "agent"));
                assertTrue(added.ok(), added.error());
                id = added.resultText("id");
                JsonNode detail = api.cronDetailWhen(id, d -> d.get("history").size() >= 2, Duration.ofSeconds(20));
                assertEquals("agent", detail.get("side").asText());
                assertEquals(List.of(id), agent.cronIds(), "the agent holds the cron the center pushed");
                centerStopped = System.currentTimeMillis();
            }

            // the center is away: the agent goes on, and keeps the results
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (agent.pendingCronResults() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(agent.pendingCronResults() >= 3, "runs made with the center down wait in the outbox: " + agent.pendingCronResults());

            try (LocalCluster second = shape.deleteNamespaceOnClose().start()) {
                centerBack = System.currentTimeMillis();
                Api api = Api.of(second);
                JsonNode detail = api.cronDetailWhen(id, d -> firedBetween(d, centerStopped + 1000, centerBack - 1000) >= 2,
                        Duration.ofSeconds(30));
                assertTrue(api.call("/api/v2/cron/stop", Map.of("cron_id", id)).ok());
                // the stop reaches the agent (push or heartbeat); then every run it made is recorded, once
                long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (!agent.cronIds().isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertEquals(List.of(), agent.cronIds(), "a stopped cron leaves its agent");
                int ran = Files.readAllLines(runs).size();
                detail = api.cronDetailWhen(id, d -> d.get("history").size() >= ran, Duration.ofSeconds(20));
                Set<String> keys = new HashSet<>();
                for (JsonNode run : detail.get("history")) {
                    assertTrue(keys.add(run.get("run_id").asText()), "each run once: " + run);
                    assertEquals("1", run.get("worker_flag").asText(), run.toString());
                }
                assertEquals(ran, keys.size(), "every run the agent made is recorded");
                System.out.printf("agent-side cron: %d runs, %d of them while the center was down and reported after its restart%n",
                        ran, firedBetween(detail, centerStopped, centerBack));
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
        }
    }

    /** Runs of the cron's history whose scheduled time lies in [from, to] (ms). */
    private static int firedBetween(JsonNode detail, long from, long to) {
        int n = 0;
        for (JsonNode run : detail.get("history")) {
            String key = run.get("run_id").asText();
            long fire = Long.parseLong(key.substring(key.indexOf('@') + 1)) * 1000;
            n += fire >= from && fire <= to ? 1 : 0;
        }
        return n;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
