package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5 item 3: two Cron instances run as their own processes; only the ZooKeeper-elected one
 * fires. The leader is killed (SIGKILL): the other takes over within the ZooKeeper session
 * timeout, fires the one run missed in the gap (misfire policy fire-once) and goes on; no run key
 * is fired twice, and the agent ran each key once (its worker appends a line per run).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CronFailoverTest {
    private static final String APP = "cronapp";
    private static final String AGENT = "127.0.0.95";
    private static final int SESSION_TIMEOUT_MS = 4000;

    @Test
    void killedLeaderIsReplacedAndNoRunFiresTwice() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder()
                .components(List.of(Component.HEARTBEAT, Component.SCHEDULER, Component.OPENAPI))
                .setting("elves.zookeeper.session-timeout-ms", String.valueOf(SESSION_TIMEOUT_MS))
                .start()) {
            Path runs = Files.createTempFile("elves-cron-runs", ".txt");
            Path apps = cluster.agentSettings(AGENT).build().appsDir();
            ShellApps.write(apps.resolve(APP), "date +%s >> '" + runs + "'\necho '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>ran</ElvesWResult>'\n");
            cluster.startAgents(List.of(AGENT), b -> b);
            cluster.awaitOnline(List.of(AGENT), Duration.ofSeconds(20));
            List<JavaProcess> processes = new ArrayList<>();
            try {
                JavaProcess first = start(processes, "cron-a", cluster);
                first.awaitOutput("Elves center started", Duration.ofSeconds(60));
                first.awaitOutput("firing as leader", Duration.ofSeconds(30));
                JavaProcess second = start(processes, "cron-b", cluster);
                second.awaitOutput("Elves center started", Duration.ofSeconds(60));
                Api api = Api.of(cluster);

                ApiResponse added = api.call("/api/v2/cron/add", Map.of("ip", AGENT, "app", APP, "func", "tick",
                        "rule", "* * * * * ?", "timeout", "10"));
                assertTrue(added.ok(), added.error());
                String id = added.resultText("id");
                api.cronDetailWhen(id, d -> d.get("history").size() >= 4, Duration.ofSeconds(20));
                assertTrue(!second.output().contains("firing as leader"), "only one instance fires");

                long killedAt = System.currentTimeMillis();
                first.kill();
                first.awaitExit(Duration.ofSeconds(10));
                second.awaitOutput("firing as leader", Duration.ofMillis(SESSION_TIMEOUT_MS * 4L));
                long takeover = System.currentTimeMillis() - killedAt;
                JsonNode detail = api.cronDetailWhen(id, d -> lastFireAfter(d, killedAt + takeover + 3000), Duration.ofSeconds(20));
                System.out.printf("cron failover: leader killed, the other fired as leader after %d ms (session timeout %d ms)%n",
                        takeover, SESSION_TIMEOUT_MS);

                Set<String> keys = new HashSet<>();
                for (JsonNode run : detail.get("history")) {
                    assertTrue(keys.add(run.get("run_id").asText()), "each run key once: " + run);
                    assertTrue(run.get("run_id").asText().startsWith(id + "@"), run.toString());
                    assertEquals("1", run.get("worker_flag").asText(), run.toString());
                }
                // stop, then count: every run the agent made is one distinct key
                assertTrue(api.call("/api/v2/cron/stop", Map.of("cron_id", id)).ok());
                Thread.sleep(1500);
                JsonNode stopped = api.cronDetailWhen(id, d -> true, Duration.ofSeconds(5));
                List<String> lines = Files.readAllLines(runs);
                assertEquals(stopped.get("history").size(), lines.size(),
                        "the agent ran each recorded key once: " + lines + " vs " + stopped.get("history"));
                assertTrue(takeover < SESSION_TIMEOUT_MS * 3L, "take-over within the session timeout (+ election): " + takeover);
            } finally {
                for (JavaProcess p : processes) {
                    p.output().lines().filter(l -> l.contains("leader") || l.contains(" ERROR ")).limit(20).forEach(System.out::println);
                    p.close();
                }
            }
        }
    }

    /** Whether the cron's history holds a run fired after this time. */
    private static boolean lastFireAfter(JsonNode detail, long millis) {
        for (JsonNode run : detail.get("history")) {
            String key = run.get("run_id").asText();
            long fireSeconds = Long.parseLong(key.substring(key.indexOf('@') + 1));
            if (fireSeconds * 1000 > millis) {
                return true;
            }
        }
        return false;
    }

    private static JavaProcess start(List<JavaProcess> processes, String name, LocalCluster cluster) throws Exception {
        List<String> args = new ArrayList<>(List.of("--components", "cron"));
        cluster.sharedSettings().forEach((k, v) -> args.add("-D" + k + "=" + v));
        args.add("-Delves.zookeeper.session-timeout-ms=" + SESSION_TIMEOUT_MS);
        args.add("-Delves.cron.history=200");
        JavaProcess p = JavaProcess.start(name, Map.of(), "org.elves.center.CenterCommand", args);
        processes.add(p);
        return p;
    }
}
